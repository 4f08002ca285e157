"""The mail index as a sheet (export only): date, direction, sender, recipients, subject and
the codes a mail is filed under, as far as the reader may see them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from tracecode.mail import services
from tracecode.mail.models import MailMessage

from ..sheets import Column
from .base import Kind
from .customers import choices_of, label_of


class MailIndex(Kind):
    name = "mails"
    label = gettext_lazy("Mail index")
    position = 120
    model = MailMessage
    importable = False
    help = gettext_lazy("Every mail you may see, with the codes it is filed under (export only).")

    @property
    def columns(self) -> list[Column]:
        return [
            Column("date", label_of(MailMessage, "date"), "date", field=None,
                   get=lambda m: timezone.localtime(m.date).date()),
            Column("direction", label_of(MailMessage, "direction"), "choice", field=None,
                   choices=choices_of(MailMessage.Direction)),
            Column("sender", label_of(MailMessage, "sender"), field=None, width=24),
            Column("sender_name", label_of(MailMessage, "sender_name"), field=None),
            Column("to", label_of(MailMessage, "to"), field=None, width=24),
            Column("subject", label_of(MailMessage, "subject"), field=None, width=40),
            Column("codes", gettext_lazy("Codes"), "several", field=None,
                   get=lambda m: [link.code for link in m.links.all()]),
            Column("attachments", gettext_lazy("Attachments"), "integer", field=None,
                   get=lambda m: len(m.attachments.all())),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        mails = self.visible(user)
        if code := (data.get("code") or "").strip().upper():
            mails = mails.filter(links__code__in=services.codes_below(code)).distinct()
        if q := (data.get("q") or "").strip():
            mails = mails.filter(subject__icontains=q)
        return mails.order_by("-date", "-pk").prefetch_related(
            services.visible_links(user), "attachments"
        )
