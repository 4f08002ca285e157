"""Mails and chat messages in the record registry: filed under codes, shown on timelines,
found by search, stored in the client folder.

A mail's search entries: one per customer it is filed under. Unfiled mail of the shared
mailbox is an entry for administrators and managers (customer None); unfiled mail of a
personal account or upload, like an unfiled chat message, is not indexed until it is filed
(the index cannot say "its owner only").
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.search import index

from .models import ChatLink, ChatMedia, ChatMessage, MailAttachment, MailLink, MailMessage
from .services import visible_links

BODY_LIMIT = 100_000


def mail_row(mail: MailMessage) -> Row:
    who = (
        f"→ {mail.to[:60]}"
        if mail.direction == MailMessage.Direction.OUT
        else (mail.sender_name or mail.sender)
    )
    details = [who]
    attachments = len(mail.attachments.all())
    if attachments:
        details.append(
            ngettext("%(count)s attachment", "%(count)s attachments", attachments)
            % {"count": attachments}
        )
    return Row(
        title=mail.subject or _("(no subject)"),
        url=reverse("mail:detail", args=[mail.pk]),
        date=mail.date,
        badge=_("sent") if mail.direction == MailMessage.Direction.OUT else _("mail"),
        details=details,
    )


def _per_customer(entry: dict, links):
    """One entry per customer the message is filed under: each follows that customer's
    visibility, and is found under its codes there."""
    by_customer: dict[int, list[str]] = {}
    for link in links:
        by_customer.setdefault(link.customer_id, []).append(link.code)
    for customer_id, codes in by_customer.items():
        yield {**entry, "code": codes[0], "codes": codes[1:], "customer": customer_id}


def mail_entries(mail: MailMessage):
    links = list(mail.links.all())
    attachments = list(mail.attachments.all())
    text = "\n".join(
        [
            mail.sender_name,
            mail.sender,
            mail.to,
            mail.cc,
            mail.text[:BODY_LIMIT],
            *(a.filename for a in attachments),
            *(a.text for a in attachments if a.text),
        ]
    )
    entry = {
        "kind": "mail",
        "title": mail.subject or mail.message_id,
        "url": reverse("mail:detail", args=[mail.pk]),
        "text": text,
        "date": mail.date,
    }
    yield from _per_customer(entry, links)
    if not links and mail.owner_id is None:
        yield {**entry, "customer": None}


def mail_files(customer):
    mails = MailMessage.objects.filter(links__customer=customer).exclude(eml="")
    yield from mails.values_list("eml", flat=True).distinct()
    attachments = MailAttachment.objects.filter(mail__links__customer=customer)
    yield from attachments.values_list("file", flat=True).distinct()


def chat_row(message: ChatMessage) -> Row:
    return Row(
        title=message.text[:200] or _("(media)"),
        url=reverse("mail:chat", args=[message.chat_id]) + f"#m{message.pk}",
        date=message.timestamp,
        badge="WhatsApp",
        details=[message.sender or _("(system)")],
    )


def chat_entries(message: ChatMessage):
    """A chat message: found by its text and its author, under the codes it is filed under."""
    links = list(message.links.all())
    entry = {
        "kind": "chat",
        "title": f"{message.sender or 'WhatsApp'}: {' '.join(message.text.split())[:120]}",
        "url": reverse("mail:chat", args=[message.chat_id]) + f"#m{message.pk}",
        "text": f"{message.sender}\n{message.text}",
        "date": message.timestamp,
    }
    yield from _per_customer(entry, links)


def chat_files(customer):
    media = ChatMedia.objects.filter(message__links__customer=customer)
    yield from media.values_list("file", flat=True).distinct()


def register() -> None:
    registry.register(
        registry.Filed(
            "mail", MailMessage, _("Mails"), position=80, code_path="links__code",
            date="date", contact="date", direction="direction", row=mail_row,
            timeline="mail/_timeline_mail.html", actions="mail/_timeline_actions.html",
            entries=mail_entries, files=mail_files, prefetch=("attachments",),
            for_user=lambda rows, user: rows.prefetch_related(visible_links(user)),
            entries_queryset=lambda: MailMessage.objects.prefetch_related("links", "attachments"),
        )
    )  # fmt: skip
    registry.register(
        registry.Filed(
            "chat", ChatMessage, _("Chat messages"), position=85, code_path="links__code",
            date="timestamp", contact="timestamp",
            row=chat_row, timeline="mail/_timeline_chat.html", entries=chat_entries,
            files=chat_files, prefetch=("media",),
            for_user=lambda rows, user: rows.prefetch_related(visible_links(user, ChatLink)),
            entries_queryset=lambda: ChatMessage.objects.prefetch_related("links"),
        )
    )  # fmt: skip
    # A message is filed after it is saved (its links name its codes and customers): filing
    # or unfiling it re-indexes it, in the same transaction.
    index.follow(ChatLink, lambda link: link.message)
    index.follow(MailLink, lambda link: link.mail)
