"""The web shell: layout, home page, health check, demo data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tracecode.web"
    label = "web"
    verbose_name = _("Web")
