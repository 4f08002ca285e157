"""Customers with registered codes, and mails as the bytes a mail server would hold."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.db import transaction
from django.utils import timezone

from tracecode.codes.services import allocate
from tracecode.customers.tests.factories import new_contact, new_customer


def customer_with_project(owner, name="Nordwerk Automotive GmbH", **fields):
    """A customer, its first project and that project's first sample order: (customer, p, o)."""
    customer = new_customer(owner, name, **fields)
    with transaction.atomic():
        project = allocate("project", parent=customer.code).code
        order = allocate("order", parent=project, fields={"kind": "S"}).code
    return customer, project, order


def mail_bytes(
    subject="Drawing for the bracket",
    body="Please find the drawing attached.",
    sender="Jonas Weber <jonas@nordwerk.example>",
    to="sales@reko-parts.example",
    message_id=None,
    in_reply_to=None,
    references=(),
    date=None,
    attachments=(),
) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date or timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="nordwerk.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    message.set_content(body)
    for name, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def mbox_bytes(*mails: bytes) -> bytes:
    out = b""
    for raw in mails:
        body = raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
        out += b"From sender@example Mon Jan  5 10:00:00 2026\n" + body.rstrip(b"\n") + b"\n\n"
    return out


__all__ = ["customer_with_project", "mail_bytes", "mbox_bytes", "new_contact", "new_customer"]
