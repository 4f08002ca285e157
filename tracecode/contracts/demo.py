"""The demo's export paperwork: the company profile with a EUR and a USD account, and
Nordwerk's wallbox housings: contract and amendment, a PI in EUR printed with the EUR account,
shipped with a CI and PL that carry cartons, HS codes and ports. tracecode/payments/demo.py
settles its payment. Idempotent like the rest of the demo."""

import datetime
import posixpath
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

from tracecode.company import services as company
from tracecode.company.models import BankAccount, CompanyProfile
from tracecode.customers.models import Contact, Customer
from tracecode.mail import services as mail
from tracecode.mail.models import MailMessage
from tracecode.sales import services as sales
from tracecode.sales.demo import Story, backdate, day
from tracecode.sales.models import Project
from tracecode.sales.shipping import save_shipping

from . import services

PROJECT = "EV wallbox housings 2027"
CUSTOMER_PO = "NW-PO-4711"
# The 2027 model year's housing and gasket: new parts, not SP1003/SP1004 of the sales demo,
# whose last price paid (EUR 2.25, RK888-1-M1) the part page shows. Not in the registers, so
# the lines carry their own HS codes for the CI.
HOUSING, GASKET = "SP2703", "SP2704"
TERMS = "30% T/T in advance, 70% before shipment"
# The lines' packing and customs data, entered on the shipping page as the goods are packed.
SIZE = {"carton_length": Decimal(60), "carton_width": Decimal(40)}
PACKING = [
    {"cartons": 100, "net_weight": Decimal(1840), "gross_weight": Decimal(1960),
     "carton_height": Decimal(35), "origin": "CN", "hs_code": "79070090", **SIZE},
    {"cartons": 4, "net_weight": Decimal(36), "gross_weight": Decimal(40),
     "carton_height": Decimal(25), "origin": "CN", "hs_code": "40169300", **SIZE},
]  # fmt: skip
ACCOUNTS = [
    ("EUR", "Bank of China Frankfurt Branch", "Bockenheimer Landstraße 24, 60323 Frankfurt",
     "BKCHDEFF", "DE89 5001 0517 0648 4898 90"),
    ("USD", "Bank of China Nanjing Branch", "29 Hongwu Road, Nanjing", "BKCHCNBJ940",
     "5123 4567 8901"),
]  # fmt: skip


def load_company(users, report) -> None:
    if not CompanyProfile.objects.exists():
        company.save_profile(
            {"entity": "RKP", "default_currency": "USD",
             "document_terms": "Quality claims within 30 days of arrival. Title passes on full "
             "payment. 质量异议须在货到 30 天内提出;货款付清前货物所有权归卖方。"},
            user=users["admin"],
        )  # fmt: skip
        report.created.append("company profile")
    for currency, bank, address, swift, number in ACCOUNTS:
        _account, created = BankAccount.objects.get_or_create(
            currency=currency,
            defaults={"bank_name": bank, "bank_address": address, "swift": swift,
                      "account_name": "REKO Precision Parts Co., Ltd.", "account_number": number},
        )  # fmt: skip
        if created:
            report.created.append(f"bank account {currency}")


def load(users, report) -> None:
    load_company(users, report)
    customer = Customer.objects.filter(code="RK888").select_related("owner").first()
    if customer is None or Project.objects.filter(customer=customer, name=PROJECT).exists():
        return
    story = Story(customer, customer.owner, report)
    request = "Wallbox housings and gaskets for the 2027 model year."
    project = story.project(PROJECT, -40, channel="email", currency="EUR", request=request)
    # The customer accepted the quotation; *Create order* made the order from its revision.
    quotation = story.quotation(
        project, -36,
        [(HOUSING, "EV wallbox housing, ZAMAK 5, black e-coat", 500, "12.60"),
         (HOUSING, "EV wallbox housing, ZAMAK 5, black e-coat", 2000, "11.80"),
         (GASKET, "Housing gasket EPDM 70", 2000, "0.42")],
        status="accepted", currency="EUR", incoterm="FOB", incoterm_place="Shanghai",
        lead_time="55 days after PO", payment_terms=TERMS,
    )  # fmt: skip
    order = sales.create_order_from_revision(
        quotation.latest_revision, user=story.user, quantities={HOUSING: 2000, GASKET: 2000},
        values={"ordered_on": day(-30), "delivery_date": day(25), "customer_po": CUSTOMER_PO,
                "notes": "Mark every carton with our PO number and part number."},
    )  # fmt: skip
    backdate(order, -30)
    report.created.append(f"order {order.code}")
    attention = Contact.objects.filter(customer=customer).first()
    save_shipping(
        order,
        {"attention": attention, "consignee": "Nordwerk Automotive GmbH, Werk Heilbronn\n"
         "Industriestraße 40, 74076 Heilbronn, Germany", "notify_party": "Kühne + Nagel "
         "(AG & Co.) KG, Hamburg", "port_of_loading": "Shanghai",
         "port_of_destination": "Hamburg", "shipping_marks": "NORDWERK\nPO NW-PO-4711\n"
         "HEILBRONN\nC/NO. 1-104\nMADE IN CHINA"},
        user=story.user, lines=PACKING,
    )  # fmt: skip
    order = story.confirm(order, -28)
    contract = services.issue_contract(
        order, user=story.user, clauses="Disputes: CIETAC Shanghai. 争议提交上海国际仲裁中心。"
    )
    report.created.append(f"contract {contract.code}")
    lines = [
        {**row, "quantity": Decimal(2400) if row["part_number"] == GASKET else row["quantity"]}
        for row in order.lines.values(
            "part_number", "specification", "quantity", "unit", "unit_price", "cartons",
            "net_weight", "gross_weight", "hs_code", "origin", "carton_length", "carton_width",
            "carton_height",
        )
    ]  # fmt: skip
    order.refresh_from_db()
    sales.save_order(order, version=order.version, fields=[], lines=lines, user=story.user)
    amendment = services.amend_contract(
        contract, user=story.user,
        changes=f"Gaskets {GASKET}: 2,400 pcs instead of 2,000 (400 spares). 垫片增加 400 件备件。",
    )  # fmt: skip
    report.created.append(f"amendment {amendment.code}")
    order.refresh_from_db()
    story.documents(order, "PI")
    order = story.produce(order, -20, -3)
    order = story.ship(order, -2, "COSCO Shipping", "COSU6123456780", 32)
    story.documents(order, "CI", "PL")
    Project.objects.filter(pk=project.pk).update(received_on=day(-40))
    report.created.extend(mail_the_ci(order, attention))


def mail_the_ci(order, contact) -> list[str]:
    """The buyer asks for the shipping documents; the reply carries the CI and, with the
    order's code in its subject, is filed under the order (idempotent: by Message-ID)."""
    buyer = f"{contact.name} <{contact.email}>" if contact and contact.email else (
        "Jonas Weber <j.weber@nordwerk.example>")  # fmt: skip
    company_ = "REKO Precision Parts <sales@reko-parts.example>"
    asked_id = f"<demo-documents-{order.code}@nordwerk.example>"
    when = timezone.now() - datetime.timedelta(days=1)
    asked = EmailMessage()
    asked["Subject"] = f"[{order.code}] Shipping documents for PO {CUSTOMER_PO}"
    asked["From"], asked["To"] = buyer, company_
    asked["Date"], asked["Message-ID"] = format_datetime(when), asked_id
    asked.set_content("Hello,\n\nplease send the commercial invoice for our customs broker.\n")
    reply = EmailMessage()
    reply["Subject"] = f"Re: [{order.code}] Shipping documents for PO {CUSTOMER_PO}"
    reply["From"], reply["To"] = company_, buyer
    reply["Date"] = format_datetime(when + datetime.timedelta(hours=2))
    reply["Message-ID"] = f"<demo-documents-{order.code}-reply@reko-parts.example>"
    reply["In-Reply-To"] = reply["References"] = asked_id
    reply.set_content("Dear customer,\n\nthe commercial invoice is attached.\n\nREKO sales")
    ci = order.documents.filter(kind="CI").order_by("-version").first()
    with ci.pdf.open("rb") as pdf:
        reply.add_attachment(pdf.read(), maintype="application", subtype="pdf",
                             filename=posixpath.basename(ci.pdf.name))  # fmt: skip
    made = []
    if mail.store_mail(bytes(asked), source=MailMessage.Source.IMAP) is not None:
        made.append(f"mail under {order.code}")
    owner = order.project.customer.owner
    if mail.store_mail(bytes(reply), source=MailMessage.Source.SENT,
                       direction=MailMessage.Direction.OUT, owner=owner) is not None:  # fmt: skip
        made.append(f"reply with the CI under {order.code}")
    return made
