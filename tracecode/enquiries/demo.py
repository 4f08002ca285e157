"""The demo's intake: assignment rules, a website enquiry waiting to be accepted (overdue),
and an unfiled mail from an unknown German buyer with a PDF drawing, to make an enquiry of.

Called from tracecode/web/demo.py as `enquiries_demo.load(users, report)`; idempotent.
"""

import datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from tracecode.customers.models import Industry
from tracecode.mail import services as mail_services
from tracecode.mail.models import MailMessage

from .models import AssignmentRule, Enquiry, EnquiryFile
from .services import assign_by_rules

GERMAN_MAIL_ID = "<demo-enquiry-fl220@hoffmann-antriebstechnik.de>"
WEB_EMAIL = "emily.carter@ontario-fluidpower.example"


def drawing_pdf(title: str) -> bytes:
    """A one-page PDF with a title: enough of a drawing for the demo, and a real PDF."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def german_mail(date: datetime.datetime) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Anfrage: Drehteile Flansch FL-220, 2.000 Stück"
    message["From"] = "Markus Hoffmann <m.hoffmann@hoffmann-antriebstechnik.de>"
    message["To"] = "REKO Precision Parts <sales@reko-parts.example>"
    message["Date"] = format_datetime(date)
    message["Message-ID"] = GERMAN_MAIL_ID
    message.set_content(
        "Sehr geehrte Damen und Herren,\n\n"
        "please quote the attached flange FL-220 (material 1.4305, turned and milled), about "
        "2,000 pcs per year in lots of 500. The drawing is attached.\n\n"
        "Mit freundlichen Grüßen\n\n"
        "Markus Hoffmann\n"
        "Einkauf\n"
        "Hoffmann Antriebstechnik GmbH\n"
        "Industriestraße 12\n"
        "70565 Stuttgart\n"
        "Germany\n"
        "Tel. +49 711 7820 455\n"
        "www.hoffmann-antriebstechnik.de\n"
    )
    message.add_attachment(
        drawing_pdf("FL-220 flange, rev B"),
        maintype="application",
        subtype="pdf",
        filename="FL-220 rev B.pdf",
    )
    return bytes(message)


def _rules(users) -> int:
    if AssignmentRule.objects.exists():
        return 0
    medical = Industry.objects.filter(code="medical").first()
    rules = [
        AssignmentRule(kind="country", country="DE", assignee=users["bob"], position=10),
        AssignmentRule(kind="country", country="AT", assignee=users["bob"], position=20),
        AssignmentRule(kind="country", country="CH", assignee=users["bob"], position=30),
        AssignmentRule(kind="turn", assignee=users["alice"], position=100),
        AssignmentRule(kind="turn", assignee=users["bob"], position=110),
    ]
    if medical is not None:
        rules.insert(3, AssignmentRule(kind="industry", industry=medical,
                                       assignee=users["alice"], position=40))  # fmt: skip
    AssignmentRule.objects.bulk_create(rules)
    return len(rules)


def load(users, report) -> None:
    made = _rules(users)
    if made:
        report.created.extend(["assignment rule"] * made)
    now = timezone.now()
    if not MailMessage.objects.filter(message_id=GERMAN_MAIL_ID).exists():
        raw = german_mail(now - datetime.timedelta(hours=5))
        if mail_services.store_mail(raw, source=MailMessage.Source.IMAP) is not None:
            report.created.append("mail unfiled, from an unknown buyer (make an enquiry of it)")
    if not Enquiry.objects.filter(source=Enquiry.Source.WEB, email=WEB_EMAIL).exists():
        enquiry = Enquiry(
            source=Enquiry.Source.WEB,
            received_at=now - datetime.timedelta(hours=30),
            company_name="Ontario Fluid Power Ltd.",
            contact_name="Emily Carter",
            email=WEB_EMAIL,
            phone="+14165550143",
            country="CA",
            industry=Industry.objects.filter(code="machinery").first(),
            part_name="Hydraulic manifold block HM-40",
            quantity=Decimal(300),
            message="We need a quotation for 300 manifold blocks HM-40 (6061-T6, anodised). "
            "Drawing attached; first delivery in May.",
            language="en",
        )
        assign_by_rules(enquiry)
        enquiry.save()
        held = EnquiryFile(
            enquiry=enquiry, filename="HM-40 manifold.pdf", content_type="application/pdf"
        )
        held.file.save("HM-40 manifold.pdf", ContentFile(drawing_pdf("HM-40 manifold block")))
        held.size = held.file.size
        held.save()
        report.created.append("enquiry waiting, from the website form")
