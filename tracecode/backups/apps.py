"""Backups that prove they restore, and the way from SQLite to PostgreSQL."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "tracecode.backups"
    label = "backups"
    verbose_name = _("Backups")
