"""Small builders for the reports' tests: sales records made through the sales services, on
the days the story needs."""

import datetime
from decimal import Decimal

from tracecode.customers.lists import seed_app_lists
from tracecode.customers.models import CustomerSource, Industry
from tracecode.sales import services
from tracecode.sales.models import Order
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project, move

TODAY = datetime.date(2026, 11, 22)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def customer(owner, name="Nordwerk Automotive GmbH", *, country="DE", industry=None,
             source=None, **extra):  # fmt: skip
    """A customer with its country, industry and source (list entries by code)."""
    seed_app_lists()
    if industry:
        extra["industry"] = Industry.objects.get(code=industry)
    if source:
        extra["source"] = CustomerSource.objects.get(code=source)
    return make_customer(owner, name=name, country=country, **extra)


def project(customer_, name="SP1003", received=None, **values):
    if received is not None:
        values["received_on"] = received
    return make_project(customer_, name=name, **values)


def confirmed(project_, on: datetime.date, amount="1000", currency="USD", kind="mass",
              **values) -> Order:  # fmt: skip
    """An order of one line worth `amount`, confirmed on `on`."""
    order = make_order(
        project_, kind, currency=currency, ordered_on=on,
        delivery_date=values.pop("delivery_date", on + datetime.timedelta(30)),
        lines=[line(quantity="1", price=amount)], **values,
    )  # fmt: skip
    return services.transition(order, "confirm", user=order.project.customer.owner,
                               data={"confirmed_on": on})  # fmt: skip


def shipped(order: Order, etd: datetime.date) -> Order:
    """Produced and shipped, leaving on `etd`."""
    order = move(order, "start_production", "finish_production")
    return services.transition(order, "ship", user=order.project.customer.owner, data={
        "carrier": "DHL", "tracking_number": "1", "etd": etd,
        "eta": etd + datetime.timedelta(5), "eta_told_on": etd,
    })  # fmt: skip


def pay(order: Order, amount, on: datetime.date):
    services.record_payment(order, user=order.project.customer.owner,
                            values={"amount": Decimal(amount), "received_on": on})  # fmt: skip
    order.refresh_from_db()
    return order


def sent_quotation(project_, on: datetime.date, status=None):
    quotation = services.create_quotation(
        project_, user=project_.customer.owner,
        values={"quoted_on": on, "valid_until": on + datetime.timedelta(30), "currency": "USD"},
        lines=[{"item": "SP1003", "quantity": 100, "unit": "pcs", "unit_price": "2"}],
    )  # fmt: skip
    services.issue_quotation(quotation, user=project_.customer.owner)
    if status:
        services.set_quotation_status(quotation, status)
    return quotation


def rows_by(table, key: str) -> dict:
    return {row[key]: row for row in table.rows}
