"""Sending mail about a code; the sent copy is kept and filed under it."""

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid

from ..models import (
    How,
    MailMessage,
)
from .codes import check_code, customer_of
from .importing import store_mail
from .linking import Link

# At most this much in attachments per sent mail (base64 makes the message a third larger;
# common SMTP servers accept 25 MB).
SEND_ATTACHMENTS_LIMIT = 15 * 1024 * 1024


def subject_prefix(code: str) -> str:
    return getattr(settings, "MAIL_SUBJECT_FORMAT", "[{code}] ").format(code=code)


def main_contact_email(code: str) -> str:
    customer = customer_of(code)
    if customer is None:
        return ""
    contact = customer.contacts.exclude(email="").order_by("-is_main", "pk").first()
    return contact.email if contact else customer.email


def send_mail(
    code: str,
    user,
    *,
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] = (),
    attachments: list[tuple[str, bytes, str]] = (),
) -> MailMessage:
    """Send a mail about `code` through the default mailer and keep the sent copy, filed."""
    customer = check_code(code, user)
    code = code.strip().upper()
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tracecode"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        reply_to=[user.email] if user.email else None,
        headers={"Message-ID": make_msgid(domain=domain)},
    )
    for name, content, content_type in attachments:
        message.attach(name, content, content_type or None)
    raw = message.message().as_bytes()
    message.send()
    mail = store_mail(
        raw,
        source=MailMessage.Source.SENT,
        owner=user,
        direction=MailMessage.Direction.OUT,
        extra_links=[Link(code, customer, How.SENT)],
        user=user,
    )
    if mail is None:  # cannot happen with a fresh Message-ID; say so if it does
        raise RuntimeError("the sent mail's Message-ID is already stored")
    return mail
