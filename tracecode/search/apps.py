"""One-box search over every number, name and text."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tracecode.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from tracecode.codes import registry

        from . import index

        registry.subscribe(index.index_kind)
        post_migrate.connect(_kind_indexes, sender=self)


def _kind_indexes(using, **kwargs):
    """PostgreSQL: the trigram and grams indexes of every kind, new kinds included."""
    from django.db import DEFAULT_DB_ALIAS, connection

    from .backends import postgresql

    if using == DEFAULT_DB_ALIAS and connection.vendor == "postgresql":
        postgresql.ensure_indexes()
