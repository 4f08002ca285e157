"""The numbering engine: schemes, counters and the code registry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "tracecode.codes"
    label = "codes"
    verbose_name = _("Codes")
