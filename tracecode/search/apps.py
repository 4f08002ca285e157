"""One-box search over every number, name and text."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tracecode.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from tracecode.codes import registry

        from . import index

        registry.subscribe(index.index_kind)
