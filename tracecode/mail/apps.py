"""Mail and WhatsApp: every message filed under its number."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "tracecode.mail"
    label = "mail"
    verbose_name = _("Mail")

    def ready(self) -> None:
        from tracecode.customers import standing

        from . import models, records

        records.register()
        # The last contact kept on the customer follows the messages and what files them.
        for link in (models.MailLink, models.ChatLink):
            standing.follow_contacts(link, lambda link: [link.customer_id])
        for message in (models.MailMessage, models.ChatMessage):
            standing.follow_contacts(
                message,
                lambda obj: list(
                    type(obj)
                    ._base_manager.filter(pk=obj.pk)
                    .values_list("links__customer", flat=True)
                ),
            )
