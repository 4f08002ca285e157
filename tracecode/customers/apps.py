"""The customer archive."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "tracecode.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from . import records, standing
        from .models import Communication

        records.register()
        standing.follow_contacts(Communication, lambda entry: [entry.customer_id])
