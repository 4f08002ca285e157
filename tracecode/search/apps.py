"""One-box search over every number, name and text."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tracecode.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import providers

        providers.register()
