"""The registers of parts, materials and suppliers."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "tracecode.registers"
    label = "registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from . import label_sources, records

        records.register()
        label_sources.register()
