"""The demo company's customer archive: sheets, contacts, a communication log and next steps
for the customers of web/demo.py, and three more. Idempotent: customers are found by company
name, contacts by name, log entries by summary; nothing is added twice.

Dates are relative to the day the demo is loaded, so some next steps are always due or
overdue when someone looks.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from . import services
from .countries import to_e164
from .lists import seed_app_lists
from .models import (
    Background,
    BusinessStatus,
    Communication,
    Contact,
    Customer,
    CustomerShare,
    CustomerSource,
    Industry,
)

# company name → the sheet's fields (lists by code, phones as dialled, days relative to today)
PROFILES = {
    "Nordwerk Automotive GmbH": {
        "country": "DE", "province": "Baden-Württemberg", "city": "Stuttgart",
        "address": "Heilbronner Straße 212, 70191 Stuttgart",
        "email": "einkauf@nordwerk-automotive.de", "website": "https://www.nordwerk-automotive.de",
        "phone": "0711 2589 4410", "industry": "automotive", "source": "trade-show",
        "background": "oem", "size": "large",
        "main_products": "Seat adjusters and brake actuator housings for German OEMs",
        "status": "order-placed", "next_step": "Send PPAP documents for housing rev. D",
        "due": 0, "nda": -400, "satisfaction": 4, "key": True, "loyalty": 1,
        "credit_level": "A", "credit_limit": "800000",
        "packaging": "VCI bags, 20 pcs per carton, Euro pallets, max 800 kg",
        "inspection": "Full dimensional report (CMM) per batch; PPAP level 3 for new parts",
        "payment": "30% deposit, 70% T/T against copy of B/L",
    },
    "苏州精工电子有限公司": {
        "country": "CN", "province": "江苏", "city": "苏州",
        "address": "苏州工业园区星湖街 328 号", "email": "caigou@sz-jinggong.cn",
        "phone": "0512 6258 1234", "industry": "electronics", "source": "referral",
        "background": "contract-mfr", "size": "medium",
        "main_products": "控制器外壳、散热片", "status": "following-up",
        "next_step": "月底恢复联系,确认明年框架订单", "due": -6, "satisfaction": 3,
        "loyalty": 2, "credit_level": "B", "credit_limit": "300000",
        "payment": "月结 60 天",
    },
    "Pacific Aero Components Inc.": {
        "country": "US", "province": "Washington", "city": "Everett",
        "email": "purchasing@pacific-aero.example", "website": "https://pacific-aero.example",
        "phone": "+1 425 348 2200", "industry": "aerospace", "source": "platform",
        "background": "oem", "size": "large",
        "main_products": "Cabin interior brackets and seat track fittings",
        "status": "following-up", "next_step": "Follow up after sample shipment",
        "due": 3, "nda": -200, "satisfaction": 4, "key": True, "loyalty": 2,
        "credit_level": "B", "credit_limit": "500000",
        "inspection": "AS9102 first article inspection report with every new part number",
        "payment": "Net 45 days after receipt",
    },
    "Lyon Précision Médicale SARL": {
        "country": "FR", "province": "Auvergne-Rhône-Alpes", "city": "Lyon",
        "email": "achats@lyon-precision-medicale.fr", "website": "https://lyon-precision-medicale.fr",
        "phone": "04 72 10 55 80", "industry": "medical", "source": "website",
        "background": "brand-owner", "size": "small",
        "main_products": "Surgical instrument handles, titanium and PEEK",
        "status": "following-up", "next_step": "Answer the questions on surface roughness Ra 0.4",
        "due": -2, "nda": -45, "loyalty": 3,
        "inspection": "Material certificates 3.1 and cleanliness test per lot",
    },
    "深圳华联医疗器械有限公司": {
        "country": "CN", "province": "广东", "city": "深圳",
        "email": "purchase@hualian-med.cn", "phone": "0755 2688 1234",
        "industry": "medical", "source": "trade-show", "background": "brand-owner",
        "size": "medium", "main_products": "监护仪、输液泵", "status": "paused",
        "next_step": "客户项目暂停,三月再联系", "due": 95, "satisfaction": 3, "loyalty": 3,
    },
    "Osaka Kiki Seisakusho Co., Ltd.": {
        "country": "JP", "province": "Osaka", "city": "Osaka",
        "email": "shizai@osaka-kiki.example", "phone": "06 6345 7788",
        "industry": "machinery", "source": "referral", "background": "oem", "size": "medium",
        "main_products": "Packaging machines", "status": "following-up",
        "next_step": "Visit with the engineering team in Osaka", "due": 12, "nda": -300,
        "satisfaction": 5, "loyalty": 1, "credit_level": "A", "credit_limit": "600000",
        "packaging": "Each part wrapped, no staples, Japanese labels",
    },
    "Milano Motori S.p.A.": {
        "country": "IT", "province": "Lombardia", "city": "Milano",
        "email": "acquisti@milanomotori.example", "website": "https://milanomotori.example",
        "phone": "02 8945 1200", "industry": "automotive", "source": "platform",
        "background": "brand-owner", "size": "large", "main_products": "Electric scooter motors",
        "status": "following-up", "next_step": "Chase the sample approval",
        "due": -1, "satisfaction": 4, "loyalty": 2, "credit_level": "B",
        "credit_limit": "250000", "payment": "50% deposit, 50% before shipment",
    },
    "Bayern Fluidtechnik GmbH": {
        "country": "DE", "province": "Bayern", "city": "Augsburg",
        "email": "info@bayern-fluidtechnik.example", "phone": "0821 4509 330",
        "industry": "machinery", "source": "outreach", "background": "oem", "size": "small",
        "main_products": "Hydraulic valve blocks", "status": "lost-contact",
        "next_step": "Try the new purchasing manager by phone", "due": -20, "loyalty": 3,
    },
    "Great Lakes Medical Devices LLC": {
        "country": "US", "province": "Michigan", "city": "Grand Rapids",
        "email": "sourcing@greatlakes-med.example", "phone": "+1 616 459 7100",
        "industry": "medical", "source": "trade-show", "background": "brand-owner",
        "size": "medium", "main_products": "Orthopaedic instrument trays",
        "status": "following-up", "next_step": "Quote the 3 tray variants", "due": 5,
        "loyalty": 3,
    },
    "宁波东海精密机械有限公司": {
        "country": "CN", "province": "浙江", "city": "宁波",
        "email": "info@donghai-precision.cn", "phone": "0574 8765 4321",
        "industry": "machinery", "source": "referral", "background": "trading",
        "size": "small", "main_products": "注塑机配件", "status": "order-placed",
        "next_step": "确认第二批货的交期", "due": 1, "satisfaction": 4, "loyalty": 2,
    },
}  # fmt: skip

# Customers the demo adds beside web/demo.py's: name, owner, shared with
MORE_CUSTOMERS = [
    ("Bayern Fluidtechnik GmbH", "bob", []),
    ("Great Lakes Medical Devices LLC", "alice", []),
    ("宁波东海精密机械有限公司", "bob", []),
]

# company → contacts in the order they were met: name, job title, email, phone, WhatsApp/WeChat
CONTACTS = {
    "Nordwerk Automotive GmbH": [
        ("Jonas Weber", "Buyer, chassis parts", "j.weber@nordwerk-automotive.de",
         "0711 2589 4421", "0171 3342198", ""),
        ("Katrin Braun", "Supplier quality engineer", "k.braun@nordwerk-automotive.de",
         "0711 2589 4460", "", ""),
    ],
    "苏州精工电子有限公司": [("王磊", "采购经理", "wanglei@sz-jinggong.cn", "", "", "wanglei_sz")],
    "Pacific Aero Components Inc.": [
        ("Megan Carter", "Senior buyer", "m.carter@pacific-aero.example", "+1 425 348 2214",
         "+1 206 555 0199", ""),
    ],
    "Lyon Précision Médicale SARL": [
        ("Claire Dubois", "Responsable achats", "c.dubois@lyon-precision-medicale.fr",
         "04 72 10 55 81", "06 12 34 56 78", ""),
    ],
    "深圳华联医疗器械有限公司": [
        ("陈静", "供应链主管", "chenjing@hualian-med.cn", "", "", "chenjing_hl"),
    ],
    "Osaka Kiki Seisakusho Co., Ltd.": [
        ("Takeshi Yamamoto", "Purchasing section chief", "t.yamamoto@osaka-kiki.example",
         "06 6345 7790", "", ""),
    ],
    "Milano Motori S.p.A.": [
        ("Luca Bianchi", "Buyer", "l.bianchi@milanomotori.example", "02 8945 1210", "", ""),
        ("Giulia Rossi", "Purchasing manager", "g.rossi@milanomotori.example", "02 8945 1220",
         "347 123 4567", ""),
    ],
    "Bayern Fluidtechnik GmbH": [
        ("Stefan Huber", "Einkauf", "s.huber@bayern-fluidtechnik.example", "0821 4509 331", "", ""),
    ],
    "Great Lakes Medical Devices LLC": [
        ("Daniel Moore", "Sourcing manager", "d.moore@greatlakes-med.example", "+1 616 459 7112",
         "", ""),
    ],
    "宁波东海精密机械有限公司": [
        ("李强", "总经理", "liqiang@donghai-precision.cn", "", "", "liqiang_nb"),
    ],
}  # fmt: skip

# Customers whose main contact changed after the first: company → the new main contact
MAIN_CONTACT_CHANGES = {"Milano Motori S.p.A.": "Giulia Rossi"}

# company → log entries: days ago, channel, direction (in/out), contact, summary
LOG = {
    "Nordwerk Automotive GmbH": [
        (64, "visit", "out", "Jonas Weber",
         "Visited the Stuttgart plant; new housing project discussed"),
        (30, "mail", "in", "Jonas Weber", "RFQ for brake actuator housing, 12k pcs/year"),
        (29, "mail", "out", "Jonas Weber", "Quotation sent for RFQ housing rev. C"),
        (9, "whatsapp", "in", "Jonas Weber", "Drawing rev. D coming, price to be confirmed"),
        (2, "call", "out", "Katrin Braun", "PPAP timing agreed: documents with the first batch"),
    ],
    "苏州精工电子有限公司": [
        (40, "wechat", "in", "王磊", "询问明年散热片的价格趋势"),
        (20, "call", "out", "王磊", "电话沟通框架订单数量,客户月底答复"),
    ],
    "Pacific Aero Components Inc.": [
        (15, "mail", "out", "Megan Carter", "Samples shipped by DHL, AWB sent"),
        (11, "mail", "in", "Megan Carter", "Samples received, FAI in progress"),
    ],
    "Lyon Précision Médicale SARL": [
        (18, "mail", "in", "Claire Dubois", "Enquiry: 3 handle variants, Ra 0.4 required"),
        (6, "whatsapp", "out", "Claire Dubois", "Asked which surfaces need Ra 0.4"),
    ],
    "深圳华联医疗器械有限公司": [(75, "meeting", "in", "陈静", "客户来厂参观,项目暂停到明年三月")],
    "Osaka Kiki Seisakusho Co., Ltd.": [
        (25, "mail", "in", "Takeshi Yamamoto", "Thanks for the on-time delivery of batch 4"),
        (8, "call", "out", "Takeshi Yamamoto", "Proposed a visit with our engineers"),
    ],
    "Milano Motori S.p.A.": [
        (50, "mail", "in", "Luca Bianchi", "Enquiry for motor end caps"),
        (21, "mail", "out", "Giulia Rossi", "Samples shipped, waiting for approval"),
        (4, "whatsapp", "out", "Giulia Rossi", "Reminder: sample approval needed this week"),
    ],
    "Bayern Fluidtechnik GmbH": [
        (120, "mail", "out", "Stefan Huber", "Sent company presentation and capabilities"),
        (60, "call", "out", "Stefan Huber", "No answer; Mr Huber has left the company"),
    ],
    "Great Lakes Medical Devices LLC": [
        (3, "meeting", "in", "Daniel Moore",
         "Met at the trade show booth; 3 tray variants to quote"),
    ],
    "宁波东海精密机械有限公司": [
        (33, "wechat", "in", "李强", "第一批货已收到,质量满意"),
        (5, "wechat", "in", "李强", "第二批订单已下,询问交期"),
    ],
}  # fmt: skip


def load(users: dict, report) -> None:
    """Fill in the demo's customer sheets; `users` by username, `report.created` is told."""
    seed_app_lists()
    today = timezone.localdate()
    for name, owner, shared in MORE_CUSTOMERS:
        if not Customer.objects.filter(company_name=name).exists():
            customer = Customer(company_name=name, owner=users[owner], country="")
            _fill(customer, PROFILES[name], today)
            services.create_customer(customer, user=users[owner])
            report.created.append(f"customer {customer.code}")
        customer = Customer.objects.get(company_name=name)
        for username in shared:
            CustomerShare.objects.get_or_create(customer=customer, user=users[username])
    for name, profile in PROFILES.items():
        customer = Customer.objects.filter(company_name=name).first()
        if customer is None:
            continue
        if not customer.country:
            _fill(customer, profile, today)
            customer.save()
        _contacts(customer, report)
        _log(customer, today)


def _fill(customer: Customer, profile: dict, today: datetime.date) -> None:
    country = profile["country"]
    customer.country = country
    for field in ("province", "city", "address", "email", "website", "main_products",
                  "next_step", "size", "credit_level"):  # fmt: skip
        setattr(customer, field, profile.get(field, ""))
    customer.phone = to_e164(profile["phone"], country)
    customer.industry = Industry.objects.get(code=profile["industry"])
    customer.source = CustomerSource.objects.get(code=profile["source"])
    customer.background = Background.objects.get(code=profile["background"])
    customer.status = BusinessStatus.objects.get(code=profile["status"])
    customer.next_step_due = today + datetime.timedelta(days=profile["due"])
    if "nda" in profile:
        customer.nda_signed = True
        customer.nda_date = today + datetime.timedelta(days=profile["nda"])
    customer.satisfaction = profile.get("satisfaction")
    customer.is_key_account = profile.get("key", False)
    customer.loyalty_level = profile.get("loyalty")
    if "credit_limit" in profile:
        customer.credit_limit = Decimal(profile["credit_limit"])
    customer.packaging_requirements = profile.get("packaging", "")
    customer.inspection_requirements = profile.get("inspection", "")
    customer.payment_requirements = profile.get("payment", "")


def _contacts(customer: Customer, report) -> None:
    owner = customer.owner
    for name, title, email, phone, mobile, wechat in CONTACTS.get(customer.company_name, []):
        if customer.contacts.filter(name=name).exists():
            continue
        contact = Contact(
            name=name,
            job_title=title,
            email=email,
            phone=to_e164(phone, customer.country) if phone else "",
            whatsapp=to_e164(mobile, customer.country) if mobile else "",
            wechat=wechat,
        )
        services.add_contact(contact, customer=customer, user=owner)
        report.created.append(f"contact {contact.code}")
        if MAIN_CONTACT_CHANGES.get(customer.company_name) == name:
            services.make_main_contact(contact, user=owner)


def _log(customer: Customer, today: datetime.date) -> None:
    contacts = {c.name: c for c in customer.contacts.all()}
    for days_ago, channel, direction, contact, summary in LOG.get(customer.company_name, []):
        day = today - datetime.timedelta(days=days_ago)
        if customer.communications.filter(summary=summary).exists():
            continue
        entry = Communication(
            channel=channel,
            direction=direction,
            contact=contacts.get(contact),
            date=day,
            summary=summary,
        )
        services.log_communication(entry, customer=customer, user=customer.owner)
