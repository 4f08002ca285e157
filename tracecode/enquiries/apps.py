"""Enquiries arriving by mail, the website's form or a chat, to a coded customer and project."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "tracecode.enquiries"
    label = "enquiries"
    verbose_name = _("Enquiries")

    def ready(self) -> None:
        from tracecode.mail.services import mail_sent

        from . import records, services

        records.register()
        mail_sent.connect(services.on_mail_sent, dispatch_uid="enquiries.first_reply")
