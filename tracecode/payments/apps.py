"""Money as it arrives: overpayments kept as the customer's credit, short payments written off
with their reason, instalments due by the payment terms, each customer's balance."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tracecode.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from . import records

        records.register()
