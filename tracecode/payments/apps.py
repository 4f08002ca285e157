"""Money as it arrives: overpayments kept as the customer's credit, short payments written off
with their reason, instalments due by the payment terms, each customer's balance."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tracecode.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from tracecode.customers import figures, standing

        from . import records, services
        from .models import Credit

        records.register()
        # The balances kept on the customer: what the orders owe (their saves and what settles
        # them refresh it, sales/services.py settle()) less the credit.
        figures.provide_balances(services.balances_of)
        standing.follow_balances(Credit, lambda credit: [credit.customer_id])
