"""Example workbooks a new user can download from the import page and import as they are:
a few rows of each kind, in the reader's language, naming the user's own records where a
kind needs one (the contacts of their first customer, the orders of their first project)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tracecode.customers.models import Customer
from tracecode.sales.models import Order, OrderState, Project

from .sheets import display
from .writing import labels_of


def _first(model, user, **lookup):
    return model.objects.editable_by(user).filter(**lookup).order_by("pk").first()


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


CUSTOMERS = [
    {"company_name": "Nordwerk Automotive GmbH", "country": "DE", "city": "Stuttgart",
     "email": "einkauf@nordwerk-example.de", "phone": "+49 711 1234567",
     "industry": "automotive", "source": "trade-show", "next_step": "Send the sample plan",
     "next_step_due": 14},
    {"company_name": "Lyon Précision Médicale SARL", "country": "FR", "city": "Lyon",
     "email": "achats@lyon-medical-example.fr", "industry": "medical", "source": "website"},
    {"company_name": "苏州精工机械有限公司", "country": "CN", "city": "苏州",
     "phone": "+86 512 6888 1234", "industry": "machinery", "source": "referral"},
]  # fmt: skip


def example_rows(kind, user) -> tuple[list[list], list[list]]:
    """(rows, lines) for the template of `kind`, as the drop-downs write them."""
    main, lines = EXAMPLES.get(kind.name, lambda user: ([], []))(user)
    columns = [c for c in kind.columns if c.imported]
    labels = labels_of(columns + (kind.lines.columns if kind.lines else []))
    rows = [[_cell(c, values.get(c.key), labels) for c in columns] for values in main]
    line_rows = []
    if kind.lines is not None:
        line_columns = [c for c in kind.lines.columns if c.imported or c is kind.lines.join]
        line_columns = [kind.lines.join, *[c for c in line_columns if c is not kind.lines.join]]
        line_rows = [[_cell(c, values.get(c.key), labels) for c in line_columns]
                     for values in lines]  # fmt: skip
    return rows, line_rows


def _cell(column, value, labels):
    if value is None or value == "":
        return None
    if column.type == "date" and isinstance(value, int):
        value = _in(value)
    return display(column, value, labels.get(column.key))


def _customers(user):
    return [dict(row) for row in CUSTOMERS], []


def _contacts(user):
    customer = _first(Customer, user)
    if customer is None:
        return [], []
    return [
        {"customer": customer.code, "name": "Jonas Weber", "job_title": "Purchasing manager",
         "email": "j.weber@example.com", "phone": "+49 711 7654321", "main": True},
        {"customer": customer.code, "name": "Anna Keller", "job_title": "Quality engineer",
         "email": "a.keller@example.com"},
    ], []  # fmt: skip


def _log(user):
    customer = _first(Customer, user)
    if customer is None:
        return [], []
    return [
        {"customer": customer.code, "date": -7, "channel": "call", "direction": "out",
         "summary": "Asked about the annual volume and the drawing revision."},
        {"customer": customer.code, "date": -2, "channel": "mail", "direction": "in",
         "summary": "Sent the new drawing, revision C."},
    ], []  # fmt: skip


def _projects(user):
    customer = _first(Customer, user)
    if customer is None:
        return [], []
    return [
        {"customer": customer.code, "name": "MB-200", "channel": "email", "target_quantity": 5000,
         "quantity_unit": "pcs", "target_price": "2.40", "currency": "USD",
         "request": "Aluminium manifold block, anodised."},
        {"customer": customer.code, "name": "BRKT-77", "channel": "trade_show",
         "target_quantity": 20000, "quantity_unit": "pcs", "currency": "EUR"},
    ], []  # fmt: skip


def _quotations(user):
    project = _first(Project, user)
    if project is None:
        return [], []
    return [
        {"ref": "Q-A", "project": project.code, "valid_until": 30, "currency": "USD",
         "incoterm": "FOB", "incoterm_place": "Ningbo", "lead_time": "25 days after PO"},
    ], [
        {"quotation": "Q-A", "item": project.name, "quantity": 1000, "unit": "pcs",
         "unit_price": "2.45"},
        {"quotation": "Q-A", "item": project.name, "quantity": 5000, "unit": "pcs",
         "unit_price": "2.20"},
    ]  # fmt: skip


def _orders(user):
    project = _first(Project, user)
    if project is None:
        return [], []
    return [
        {"ref": "PO-1", "project": project.code, "kind": "sample", "customer_po": "PO-4471",
         "delivery_date": 30, "currency": "USD", "incoterm": "FOB"},
    ], [
        {"order": "PO-1", "part_number": project.name, "quantity": 50, "unit": "pcs",
         "unit_price": "3.10", "cartons": 1},
    ]  # fmt: skip


def _payments(user):
    order = _first(Order, user, state__in=[OrderState.CONFIRMED, OrderState.IN_PRODUCTION])
    if order is None or order.balance <= 0:
        return [], []
    amount = (order.balance / 2).quantize(Decimal("0.01"))
    return [{"order": order.code, "received_on": 0, "amount": amount,
             "method": "tt", "reference": "TT-EXAMPLE-1"}], []  # fmt: skip


def _parts(user):
    customer = _first(Customer, user)
    if customer is None:
        return [], []
    return [
        {"customer": customer.code, "customer_part_number": "MB-200", "name": "Manifold block",
         "category": "01", "type": "04", "unit": "pcs", "hs_code": "8481.90.00",
         "origin": "CN"},
    ], []  # fmt: skip


def _materials(user):
    return [
        {"subclass": "01.01", "name": "CPIDE131218DA1", "manufacturer": "Example Films"},
        {"subclass": "02.01", "name": "RC0402JR-07910K", "manufacturer": "Yageo"},
    ], []  # fmt: skip


def _suppliers(user):
    return [
        {"name": "宁波示例铝业有限公司", "country": "CN", "region": "330200",
         "phone": "+86 574 8765 4321"},
    ], []  # fmt: skip


EXAMPLES = {
    "customers": _customers, "contacts": _contacts, "log": _log, "projects": _projects,
    "quotations": _quotations, "orders": _orders, "payments": _payments, "parts": _parts,
    "materials": _materials, "suppliers": _suppliers,
}  # fmt: skip


# The demo company's one finished import: the contact list Mia kept in Excel before Tracecode.
DEMO_FILE = "REKO contacts (old Excel).xlsx"
DEMO_CONTACTS = [
    ("RK888", "Jonas Weber", "Quality engineer", "j.weber@nordwerk-example.de", "+49 711 2345678"),
    ("RK888", "Petra Lang", "Logistics", "p.lang@nordwerk-example.de", "+49 711 2345690"),
    ("RK1037", "Mike Dawson", "Buyer", "m.dawson@pacific-aero-example.com", "+1 206 5550199"),
    ("RK1036", "王芳", "采购经理", "wangfang@sz-jinggong-example.cn", "+86 512 6888 2345"),
]


def load(users, report) -> None:
    """Mia's import of the contact list, finished and kept (its file, counts and history)."""
    from . import services, sheets
    from .models import ImportRun
    from .writing import template_xlsx

    mia = users.get("mia")
    if mia is None or ImportRun.objects.filter(file_name=DEMO_FILE).exists():
        return
    kind = sheets.get("contacts")
    columns = [c.key for c in kind.columns if c.imported]
    rows = []
    for code, name, title, email, phone in DEMO_CONTACTS:
        values = {"customer": code, "name": name, "job_title": title, "email": email,
                  "phone": phone}  # fmt: skip
        rows.append([values.get(key, "") for key in columns])
    run, outcome = services.run_now(
        mia, "contacts", template_xlsx(kind, examples=rows), DEMO_FILE, commit=True
    )
    report.created.append(f"import {run.pk} ({DEMO_FILE}: {outcome.new} contacts)")
