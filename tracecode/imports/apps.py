"""Moving in and out: every kind of record imported from and exported to Excel and CSV."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "tracecode.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from . import kinds

        kinds.register()
