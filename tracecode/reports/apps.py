"""The manager's view: dashboards, reports with charts, monthly targets and plan against result."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tracecode.reports"
    label = "reports"
    verbose_name = _("Reports")
