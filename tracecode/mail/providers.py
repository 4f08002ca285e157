"""What the search index holds for a mail: one entry per customer it is filed under.

Unfiled mail of the shared mailbox is an entry for administrators and managers (customer None);
unfiled mail of a personal account or upload is not indexed until it is filed (the index
cannot say "its owner only").
"""

from django.urls import reverse

from .models import MailMessage

BODY_LIMIT = 100_000


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
        "date": mail.date.date(),
    }
    by_customer: dict[int, list[str]] = {}
    for link in links:
        by_customer.setdefault(link.customer_id, []).append(link.code)
    for customer_id, codes in by_customer.items():
        yield {**entry, "code": codes[0], "codes": codes[1:], "customer": customer_id}
    if not links and mail.owner_id is None:
        yield {**entry, "customer": None}


def register() -> bool:
    """Register MailMessage with the search index; False while the search app cannot load."""
    try:
        from tracecode.search import index
    except ImportError:  # the search engine is still being built: mails are indexed later
        return False
    index.register(
        MailMessage,
        mail_entries,
        queryset=lambda: MailMessage.objects.prefetch_related("links", "attachments"),
    )
    return True
