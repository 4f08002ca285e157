"""Looking after customers: credit control, key accounts, the archive kept current."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "tracecode.care"
    label = "care"
    verbose_name = _("Customer care")

    def ready(self) -> None:
        from tracecode.customers import panels
        from tracecode.sales import guards

        from . import credit, records

        guards.register("confirm", credit.check_confirmation)
        panels.add("care/_sheet_panel.html", credit.sheet_panel)
        records.register()
