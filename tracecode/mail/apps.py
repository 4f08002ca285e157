"""Mail and WhatsApp: every message filed under its number."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "tracecode.mail"
    label = "mail"
    verbose_name = _("Mail")

    def ready(self) -> None:
        from . import records

        records.register()
