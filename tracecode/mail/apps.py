"""Mail and WhatsApp: every message filed under its number."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "tracecode.mail"
    label = "mail"
    verbose_name = _("Mail")

    def ready(self):
        from django.apps import apps

        if apps.is_installed("tracecode.search"):
            from . import providers

            providers.register()
        if apps.is_installed("tracecode.files"):
            from tracecode.files import tree

            from .folders import stored_names

            tree.register(stored_names)
