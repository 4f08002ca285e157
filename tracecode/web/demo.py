"""The demo company: REKO Precision Parts, a factory selling custom parts abroad.

`load_demo()` is idempotent: everything is looked up by its natural key first, so running it
again adds nothing twice. Each issue grows it with its own records.
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from tracecode.accounts.models import Role
from tracecode.care import demo as care_demo
from tracecode.codes.models import CodeEntry
from tracecode.codes.services import create_with_code, register_legacy
from tracecode.contracts import demo as contracts_demo
from tracecode.customers import demo as customers_demo
from tracecode.customers import standing
from tracecode.customers.models import Customer, CustomerShare
from tracecode.enquiries import demo as enquiries_demo
from tracecode.imports import demo as imports_demo
from tracecode.leads import demo as leads_demo
from tracecode.mail import demo as mail_demo
from tracecode.payments import demo as payments_demo
from tracecode.private_files import read_or_create
from tracecode.registers import demo as registers_demo
from tracecode.reports import demo as reports_demo
from tracecode.sales import demo as sales_demo
from tracecode.search import index

USERS = [
    # username, first name, last name, role
    ("admin", "Ada", "Admin", Role.ADMIN),
    ("mia", "Mia", "Chen", Role.MANAGER),
    ("alice", "Alice", "Wang", Role.SALES),
    ("bob", "Bob", "Li", Role.SALES),
    ("victor", "Victor", "Zhou", Role.VIEWER),
]

# The customer list REKO kept before Tracecode: imported with its codes as they are.
LEGACY_CUSTOMERS = [
    # code, company name, owner, shared with
    ("RK888", "Nordwerk Automotive GmbH", "alice", ["victor"]),
    ("RK1036", "苏州精工电子有限公司", "bob", []),
    ("RK1037", "Pacific Aero Components Inc.", "bob", ["alice"]),
]

# Customers since: each takes the next code from the `customer` scheme (RK1038, RK1039 …).
NEW_CUSTOMERS = [
    ("Lyon Précision Médicale SARL", "alice", []),
    ("深圳华联医疗器械有限公司", "alice", []),
    ("Osaka Kiki Seisakusho Co., Ltd.", "bob", ["victor"]),
    ("Milano Motori S.p.A.", "alice", ["bob"]),
]


@dataclass
class DemoReport:
    password: str
    created: list[str] = field(default_factory=list)
    users: list = field(default_factory=list)

    def summary(self, url: str) -> str:
        lines = [f"Demo company: {settings.COMPANY_NAME}"]
        if self.created:
            kinds = Counter(item.split()[0] for item in self.created)
            lines.append("Added: " + ", ".join(f"{n} × {kind}" for kind, n in kinds.items()))
        else:
            lines.append("Nothing new to add.")
        lines.append(f"Sign in at {url} as one of:")
        for user in self.users:
            shown = self.password if user.check_password(self.password) else "(changed by its user)"
            lines.append(f"  {user.username:<8} {shown:<24} {user.get_role_display()}")
        return "\n".join(lines)


def demo_password() -> str:
    """TRACECODE_DEMO_PASSWORD, else one generated once and kept (0600) in the data folder."""
    if configured := settings.DEMO_PASSWORD:
        return configured
    return read_or_create(settings.DATA_DIR / "demo-password", lambda: secrets.token_urlsafe(12))


@transaction.atomic
def load_demo() -> DemoReport:
    """Create what is missing of the demo company. Its records are indexed for search once
    each, at the end, as an import indexes them: saved one by one, an order's entries were
    written again at every move of its story."""
    with index.deferred():
        with standing.deferred():
            report = _load()
        # The demo dates orders and contacts back past their services: keep the figures of
        # the dates it gave (after the deferred refresh of the customers it touched).
        standing.refresh_all()
    return report


def _load() -> DemoReport:
    report = DemoReport(password=demo_password())
    User = get_user_model()
    users = {}
    for username, first, last, role in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, role=role)
            user.email = f"{username}@reko-parts.example"
            user.set_password(report.password)
            user.save()
            report.created.append(f"user {username}")
        users[username] = user
        report.users.append(user)
    for code, name, owner, shared in LEGACY_CUSTOMERS:
        customer = Customer.objects.filter(code=code).first()
        if customer is None:
            if not CodeEntry.objects.filter(code=code).exists():
                register_legacy(code, "customer", record_type="customers.customer")
            customer = Customer.objects.create(code=code, company_name=name, owner=users[owner])
            report.created.append(f"customer {code} (imported)")
        share(customer, [users[u] for u in shared])
    for name, owner, shared in NEW_CUSTOMERS:
        customer = Customer.objects.filter(company_name=name).first()
        if customer is None:
            customer = Customer(company_name=name, owner=users[owner])
            create_with_code(customer, "customer", user=users[owner])
            report.created.append(f"customer {customer.code}")
        share(customer, [users[u] for u in shared])
    customers_demo.load(users, report)
    registers_demo.load(users, report)  # before sales: its lines and BOM name these records
    sales_demo.load(users, report)
    mail_demo.load(users, report)  # files mails under the sales demo's orders
    leads_demo.load(users, report)  # after the sales demo: its enquiries keep their numbers
    reports_demo.load(users, report)  # a year of history, targets and closed months
    enquiries_demo.load(users, report)  # rules, a waiting web enquiry, an unknown buyer's mail
    care_demo.load(users, report)  # credit reviews; an order credit control blocks
    imports_demo.load(users, report)  # one finished import: Mia's old contact list
    contracts_demo.load(users, report)  # the company profile, a contract, PI/CI/PL in EUR
    payments_demo.load(users, report)  # a short payment written off
    return report


def share(customer, users) -> None:
    for user in users:
        CustomerShare.objects.get_or_create(customer=customer, user=user)
