"""Pages over the record registry: everything about a number, timelines."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tracecode.records"
    label = "records"
    verbose_name = _("Records")
