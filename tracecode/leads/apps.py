"""Order leads (订单情报): reported by sales staff, evaluated and planned by managers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "tracecode.leads"
    label = "leads"
    verbose_name = _("Order leads")

    def ready(self) -> None:
        from . import records

        records.register()
