"""The test factories of every app, in one place: records built as the app builds them.

Customers are coded by the scheme in force (RK001 …) unless a test gives a code (an imported
customer keeps its own: `make_customer(alice, code="RK1038")`); projects, quotations and orders
go through the sales services and move through their workflows the way people move them.
The apps' old factory modules (customers/tests/factories.py, sales/tests/factories.py)
re-export these, so a test imports them from either.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from tracecode.codes.services import create_with_code
from tracecode.customers import services as customer_services
from tracecode.customers.lists import seed_app_lists
from tracecode.customers.models import Contact, Customer, CustomerShare, Industry
from tracecode.sales import services
from tracecode.sales.models import Order

# Customers ---------------------------------------------------------------------------------


def make_customer(owner, name="Nordwerk Automotive GmbH", shared_with=(), code=None, **fields):
    """A customer saved as it is, for tests about something else: coded by the scheme in
    force, or with the `code` given; shared with `shared_with`; no history."""
    customer = Customer(company_name=name, owner=owner, **fields)
    if code is None:
        create_with_code(customer, "customer")
    else:
        customer.code = code
        customer.save()
    for user in shared_with:
        CustomerShare.objects.create(customer=customer, user=user)
    return customer


def new_customer(owner, name="Nordwerk Automotive GmbH", *, shared_with=(), **fields):
    """A customer created as the app creates one: coded by the scheme, history started."""
    fields.setdefault("country", "DE")
    customer = Customer(company_name=name, owner=owner, **fields)
    return customer_services.create_customer(customer, user=owner, shared_with=shared_with)


def new_contact(customer, user, name="Jonas Weber", **fields):
    return customer_services.add_contact(Contact(name=name, **fields), customer=customer, user=user)


def industry(code="automotive"):
    seed_app_lists()  # transactional tests start from empty tables
    return Industry.objects.get(code=code)


# Sales -------------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def make_project(customer, user=None, name="SP1003", **values):
    return services.create_project(customer, user=user or customer.owner, name=name, **values)


def line(part="SP1003", quantity="1000", price="2.35", **extra) -> dict:
    return {
        "part_number": part,
        "specification": extra.pop("specification", "Zinc die-cast housing, black e-coat"),
        "quantity": Decimal(quantity),
        "unit": extra.pop("unit", "pcs"),
        "unit_price": Decimal(price),
        **extra,
    }


def make_order(project, kind="sample", user=None, lines=None, **values) -> Order:
    values.setdefault("delivery_date", days(30))
    values.setdefault("currency", "USD")
    return services.create_order(
        project,
        kind,
        user=user or project.customer.owner,
        values=values,
        lines=[line()] if lines is None else lines,
    )


# What each move needs to be told, as a merchandiser would type it.
MOVE_DATA = {
    "confirm": lambda: {"confirmed_on": today()},
    "ship": lambda: {
        "carrier": "DHL Express",
        "tracking_number": "1234567890",
        "etd": today(),
        "eta": days(4),
        "eta_told_on": today(),
    },
    "confirm_arrival": lambda: {"arrived_on": today()},
    "cancel": lambda: {"cancel_reason": "Customer withdrew the project"},
}

PRODUCTION_CHECKS = ["production_notified", "stock_checked", "material_prepared"]


def move(order, *actions, user=None):
    """Run the order through `actions`, ticking the checkpoints each one needs."""
    user = user or order.project.customer.owner
    for action in actions:
        if action == "start_production":
            for name in PRODUCTION_CHECKS:
                services.tick_checkpoint(order, name, user=user)
        if action == "mark_paid" and order.balance > 0:
            services.record_payment(order, user=user, values={"amount": order.balance})
            order.refresh_from_db()
            if order.state == "paid":
                continue
        data = MOVE_DATA.get(action, dict)()
        order = services.transition(order, action, user=user, data=data)
    return order


ALL_THE_WAY = [
    "confirm",
    "start_production",
    "finish_production",
    "ship",
    "confirm_arrival",
    "reconcile",
    "mark_paid",
    "close",
]


# The way to each state from a new order, and what a move out of it needs beforehand.
PATH_TO = {
    "draft": [],
    "confirmed": ["confirm"],
    "in_production": ["confirm", "start_production"],
    "ready": ["confirm", "start_production", "finish_production"],
    "shipped": ["confirm", "start_production", "finish_production", "ship"],
    "arrived": ALL_THE_WAY[:5],
    "reconciled": ALL_THE_WAY[:6],
    "paid": ALL_THE_WAY[:7],
    "closed": ALL_THE_WAY,
    "cancelled": ["cancel"],
}


def order_in(state: str, project=None, user=None, **values) -> Order:
    """A sample order brought to `state` the way people do it."""
    order = make_order(project, user=user, **values)
    return move(order, *PATH_TO[state], user=user)
