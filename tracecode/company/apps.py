"""The company itself: its profile (letterhead, logo, terms) and its bank accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanyConfig(AppConfig):
    name = "tracecode.company"
    label = "company"
    verbose_name = _("Company")
