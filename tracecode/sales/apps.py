"""Enquiries, quotations, orders and their documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "tracecode.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from . import search

        search.register()

        from tracecode.files import tree

        from .folders import stored_names

        tree.register(stored_names)
