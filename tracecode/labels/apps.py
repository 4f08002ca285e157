"""Labels with the number on them (QR and Code128), and /go/<code> that a scan opens."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabelsConfig(AppConfig):
    name = "tracecode.labels"
    label = "labels"
    verbose_name = _("Labels")
