"""The client folder framework: every file in its place."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "tracecode.files"
    label = "files"
    verbose_name = _("Files")

    def ready(self) -> None:
        from . import labels, records

        records.register()
        labels.register()
