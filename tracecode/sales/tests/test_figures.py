"""The customer sheet's derived figures, and A/B/C classes by the last 12 months' value."""

import datetime
from decimal import Decimal

import pytest

from tracecode.customers.models import Customer
from tracecode.sales import services
from tracecode.sales.figures import contribution_classes, customer_figures
from tracecode.sales.models import Order

from .factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


def confirmed(project, on: datetime.date, amount="1000", currency="USD", kind="mass"):
    order = make_order(
        project,
        kind,
        currency=currency,
        ordered_on=on,
        delivery_date=on + datetime.timedelta(30),
        lines=[line(quantity="1", price=amount)],
    )
    order = move(order, "confirm")
    Order.objects.filter(pk=order.pk).update(confirmed_on=on)
    return order


def sent_quotation(project, on):
    quotation = services.create_quotation(
        project,
        user=project.customer.owner,
        values={"quoted_on": on, "valid_until": on + datetime.timedelta(30), "currency": "USD"},
        lines=[{"item": "SP1003", "quantity": 100, "unit": "pcs", "unit_price": "2"}],
    )
    services.issue_quotation(quotation, user=project.customer.owner)
    return quotation


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.BASE_CURRENCY = "CNY"
    settings.EXCHANGE_RATES = {"USD": "7.10", "EUR": "7.75"}


def test_a_customer_without_sales_records_has_empty_figures(alice):
    figures = customer_figures(make_customer(alice))
    assert (figures.quotes, figures.first_quotation, figures.has_orders) == (0, None, False)


def test_quotes_count_the_quotations_sent(alice):
    project = make_project(make_customer(alice))
    sent_quotation(project, datetime.date(2026, 3, 9))
    sent_quotation(project, datetime.date(2026, 5, 2))
    services.create_quotation(
        project, user=alice, values={"valid_until": TODAY, "currency": "USD"}, lines=[]
    )  # a draft: not sent, not counted
    figures = customer_figures(project.customer, today=TODAY)
    assert (figures.quotes, figures.first_quotation) == (2, datetime.date(2026, 3, 9))


def test_first_cooperation_and_orders_per_year_count_confirmed_orders(alice):
    project = make_project(make_customer(alice))
    confirmed(project, datetime.date(2025, 6, 3), kind="sample")
    confirmed(project, datetime.date(2026, 2, 1))
    confirmed(project, datetime.date(2026, 8, 1))
    make_order(project)  # a draft: not confirmed
    cancelled = confirmed(project, datetime.date(2024, 1, 5))
    move(cancelled, "cancel")
    figures = customer_figures(project.customer, today=TODAY)
    assert figures.first_cooperation == datetime.date(2025, 6, 3)
    assert figures.orders_per_year == {2025: 1, 2026: 2}
    assert figures.has_orders


def test_the_value_of_the_last_12_months_is_in_the_base_currency(alice, settings):
    project = make_project(make_customer(alice))
    confirmed(project, datetime.date(2026, 2, 1), amount="1000", currency="USD")  # 7,100
    confirmed(project, datetime.date(2026, 10, 1), amount="100", currency="EUR")  # 775
    confirmed(project, datetime.date(2026, 10, 2), amount="500", currency="CNY")  # 500
    confirmed(project, datetime.date(2025, 11, 1), amount="9999", currency="USD")  # too old
    confirmed(project, datetime.date(2026, 10, 3), amount="50000", currency="JPY")  # no rate
    figures = customer_figures(project.customer, today=TODAY)
    assert figures.order_value_12m == Decimal("8375.00")


def test_customers_are_classed_by_pareto_over_twelve_months(alice):
    values = {"Big": 70_000, "Second": 15_000, "Third": 9_000, "Small": 4_000, "Tiny": 2_000}
    customers = {}
    for name, value in values.items():
        customer = make_customer(alice, name=name)
        confirmed(
            make_project(customer), datetime.date(2026, 9, 1), amount=str(value), currency="CNY"
        )
        customers[name] = customer
    old = make_customer(alice, name="Old friend")
    confirmed(make_project(old), datetime.date(2024, 9, 1), amount="50000", currency="CNY")
    never = make_customer(alice, name="Only enquiries")
    make_project(never)
    classes = contribution_classes(Customer.objects.all(), today=TODAY)
    by_name = {c.company_name: classes.get(c.pk) for c in Customer.objects.all()}
    # Ranked above: Big 0%, Second 70%, Third 85%, Small 94%, Tiny 98% of the value.
    # The customer that crosses a bound still belongs to the class below it.
    assert by_name == {
        "Big": "A",
        "Second": "A",
        "Third": "B",
        "Small": "B",
        "Tiny": "C",
        "Old friend": "C",
        "Only enquiries": None,
    }


def test_classes_only_rank_the_customers_asked_about(alice):
    first, second = make_customer(alice, name="One"), make_customer(alice, name="Two")
    confirmed(make_project(first), datetime.date(2026, 9, 1), amount="100", currency="CNY")
    confirmed(make_project(second), datetime.date(2026, 9, 1), amount="900", currency="CNY")
    assert contribution_classes(Customer.objects.filter(pk=first.pk), today=TODAY) == {
        first.pk: "A"
    }
