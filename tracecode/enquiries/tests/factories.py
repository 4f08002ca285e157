"""Enquiries as they arrive: an unknown German buyer's mail with a PDF drawing, a website
submission, a WhatsApp message."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tracecode.enquiries import services
from tracecode.enquiries.demo import drawing_pdf, german_mail
from tracecode.mail import services as mail_services
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import mail_bytes

DRAWING = drawing_pdf("FL-220 flange, rev B")


def buyer_mail(owner=None, *, hours_ago=5):
    """The mail of an unknown German buyer (Hoffmann Antriebstechnik) with a PDF drawing,
    waiting in `owner`'s Unfiled (None: the shared mailbox)."""
    raw = german_mail(timezone.now() - datetime.timedelta(hours=hours_ago))
    return mail_services.store_mail(raw, source=MailMessage.Source.IMAP, owner=owner)


def reply_from_buyer(mail, owner=None):
    """The buyer's second mail in the same thread, before anybody answered."""
    raw = mail_bytes(
        subject="AW: Anfrage: Drehteile Flansch FL-220",
        body="Sorry, one more: surface treatment is zinc-nickel.",
        sender="Markus Hoffmann <m.hoffmann@hoffmann-antriebstechnik.de>",
        message_id="<second@hoffmann-antriebstechnik.de>",
        in_reply_to=mail.message_id,
        references=[mail.message_id],
    )
    return mail_services.store_mail(raw, source=MailMessage.Source.IMAP, owner=owner)


WEB = {
    "company_name": "Ontario Fluid Power Ltd.",
    "contact_name": "Emily Carter",
    "email": "emily.carter@ontario-fluidpower.example",
    "phone": "+14169671111",
    "country": "CA",
    "part_name": "Hydraulic manifold block HM-40",
    "quantity": "300",
    "message": "Please quote 300 pieces, 6061-T6, anodised.",
}


def web_enquiry(**changes):
    """A website submission as services.submit keeps it (pending, no code)."""
    values = {**WEB, **changes}
    values["quantity"] = Decimal(values["quantity"]) if values["quantity"] else None
    drawing = SimpleUploadedFile("HM-40.pdf", drawing_pdf("HM-40"), "application/pdf")
    enquiry, _refused = services.submit(values, [drawing], address="203.0.113.7")
    return enquiry
