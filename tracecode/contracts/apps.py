"""Sales contracts: one per order, signed by the buyer, amended by numbered revisions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "tracecode.contracts"
    label = "contracts"
    verbose_name = _("Sales contracts")

    def ready(self) -> None:
        from . import records

        records.register()
