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

        from . import credit, records, views

        guards.register("confirm", credit.check_confirmation)
        panels.add("care/_sheet_panel.html", views.sheet_panel)
        panels.add("care/_follow_ups_panel.html", views.follow_ups_panel, panels.FOLLOW_UPS)
        records.register()
