"""The demo's export paperwork: the company profile with a EUR and a USD account, and
Nordwerk's wallbox housings: contract and amendment, a PI in EUR printed with the EUR account,
shipped with a CI and PL that carry cartons, HS codes and ports. tracecode/payments/demo.py
settles its payment. Idempotent like the rest of the demo."""

from decimal import Decimal

from tracecode.company import services as company
from tracecode.company.models import BankAccount, CompanyProfile
from tracecode.customers.models import Contact, Customer
from tracecode.sales import services as sales
from tracecode.sales.demo import Story, day, line
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
    size = {"carton_length": 60, "carton_width": 40}
    housing = line(
        HOUSING,
        2000,
        "11.80",
        "EV wallbox housing, ZAMAK 5, black e-coat",
        cartons=100,
        net_weight="1840",
        gross_weight="1960",
        carton_height=35,
        **size,
    )
    gasket = line(GASKET, 2000, "0.42", "Housing gasket EPDM 70", cartons=4, net_weight="36",
                  gross_weight="40", carton_height=25, **size)  # fmt: skip
    order = story.order(
        project, "mass", -30, 25,
        [{**housing, "origin": "CN", "hs_code": "79070090"},
         {**gasket, "origin": "CN", "hs_code": "40169300"}],
        currency="EUR", incoterm="FOB", incoterm_place="Shanghai", customer_po=CUSTOMER_PO,
        payment_terms=TERMS, notes="Mark every carton with our PO number and part number.",
    )  # fmt: skip
    attention = Contact.objects.filter(customer=customer).first()
    save_shipping(
        order,
        {"attention": attention, "consignee": "Nordwerk Automotive GmbH, Werk Heilbronn\n"
         "Industriestraße 40, 74076 Heilbronn, Germany", "notify_party": "Kühne + Nagel "
         "(AG & Co.) KG, Hamburg", "port_of_loading": "Shanghai",
         "port_of_destination": "Hamburg", "shipping_marks": "NORDWERK\nPO NW-PO-4711\n"
         "HEILBRONN\nC/NO. 1-104\nMADE IN CHINA"},
        user=story.user,
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
    sales.save_order(order, version=order.version, fields=[], lines=lines)
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
