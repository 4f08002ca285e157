"""Demo mails and WhatsApp chats under the demo customers (idempotent: by Message-ID/chat name).

Called from tracecode/web/demo.py as `mail_demo.load(users, report)`.
"""

import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer

from . import services
from .models import ChatImport, MailMessage

COMPANY = "REKO Precision Parts <sales@reko-parts.example>"


def _at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=datetime.UTC)


def _mail(subject, sender, to, date, body, message_id, reply_to=None, attachment=None) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(body)
    if attachment:
        name, data = attachment
        message.add_attachment(data, maintype="text", subtype="plain", filename=name)
    return bytes(message)


def _first(customer: Customer, scheme: str) -> str | None:
    codes = services.codes_below(customer.code)
    entry = (
        CodeEntry.objects.filter(code__in=codes, scheme=scheme).order_by("created_at", "pk").first()
    )
    return entry.code if entry else None


def _thread(customer: Customer, code: str, contact: str, key: str, story: list) -> int:
    made = 0
    previous = None
    for number, (subject, outgoing, date, body, attachment) in enumerate(story, start=1):
        message_id = f"<demo-{key}-{number}@reko-parts.example>"
        raw = _mail(
            subject.format(code=code),
            COMPANY if outgoing else contact,
            contact if outgoing else COMPANY,
            date,
            body,
            message_id,
            previous,
            attachment,
        )
        mail = services.store_mail(
            raw,
            source=MailMessage.Source.SENT if outgoing else MailMessage.Source.IMAP,
            direction=MailMessage.Direction.OUT if outgoing else MailMessage.Direction.IN,
            owner=customer.owner if outgoing else None,
        )
        made += mail is not None
        previous = message_id
    return made


def load(users, report) -> None:
    lyon = Customer.objects.filter(code="RK1038").first()
    if lyon is not None:
        code = _first(lyon, "order") or _first(lyon, "project") or lyon.code
        made = _thread(
            lyon,
            code,
            "Claire Dubois <c.dubois@lyon-precision-medicale.fr>",
            "lyon",
            [
                (
                    "[{code}] Samples: inspection report",
                    False,
                    _at(3, 2, 8, 15),
                    "Bonjour,\n\nthe samples arrived. Our inspection report is attached:"
                    " two bores are at the upper limit.\n\nClaire Dubois",
                    ("inspection-report.txt", b"Bore A 6.012 mm (6.000 +0.012)\nPassivation ok"),
                ),
                (
                    "Re: Samples: inspection report",
                    True,
                    _at(3, 2, 10, 40),
                    "Dear Claire,\n\nthank you. We will move the bores to the middle of the"
                    " tolerance for the mass production.\n\nBest regards,\nREKO sales",
                    None,
                ),
                (
                    "Re: Re: Samples: inspection report",
                    False,
                    _at(3, 3, 7, 5),
                    "Merci, please confirm the new delivery date.",
                    None,
                ),
            ],
        )
        if made:
            report.created.extend([f"mail under {code}"] * made)
        chat_name = f"WhatsApp Chat with Claire Dubois ({code}).txt"
        if not ChatImport.objects.filter(name=chat_name).exists():
            text = (
                f"3/14/26, 9:02 AM - Claire Dubois: Any news on the delivery date for {code}?\n"
                "3/14/26, 9:10 AM - Wang Lei: Production starts Monday, shipping on 20 March.\n"
                "3/14/26, 9:11 AM - Claire Dubois: Parfait, thank you!\n"
            )
            services.import_chat(chat_name, text.encode(), lyon.owner, code=code)
            report.created.append(f"chat under {code}")
    unknown = _mail(
        "Enquiry: CNC turned parts, 5,000 pcs/year",
        "Rahul Mehta <rahul.mehta@deccan-pumps.example>",
        COMPANY,
        _at(3, 5, 4, 30),
        "Dear Sir/Madam,\n\nwe are looking for a supplier of stainless turned parts."
        " Drawings follow.\n\nRahul Mehta, Deccan Pumps",
        "<demo-unfiled-1@deccan-pumps.example>",
    )
    if services.store_mail(unknown, source=MailMessage.Source.IMAP) is not None:
        report.created.append("mail unfiled, in the shared mailbox")
