"""Orders and revenue per month: this period beside the same months a year earlier."""

from decimal import Decimal

import pytest

from tracecode.reports import figures
from tracecode.sales.tests.factories import move

from .helpers import confirmed, customer, d, pay, project, rows_by

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-12-31"))


def months(user, f=PERIOD):
    return rows_by(figures.orders_by_month(user, f).table("months"), "month")


def test_an_order_counts_in_the_month_it_was_confirmed_in_the_base_currency(manager, alice):
    sp = project(customer(alice))
    confirmed(sp, d("2026-03-31"), "1000", "USD")
    confirmed(sp, d("2026-04-01"), "200", "EUR")
    rows = months(manager)
    assert (rows[d("2026-03-01")]["orders"], rows[d("2026-03-01")]["value"]) == (
        1,
        Decimal("7100.00"),
    )
    assert (rows[d("2026-04-01")]["orders"], rows[d("2026-04-01")]["value"]) == (
        1,
        Decimal("1550.00"),
    )
    assert len(rows) == 12


def test_the_same_month_a_year_earlier_stands_beside_it_with_the_change(manager, alice):
    sp = project(customer(alice))
    confirmed(sp, d("2025-05-10"), "1000", "CNY")
    confirmed(sp, d("2026-05-20"), "1500", "CNY")
    may = months(manager)[d("2026-05-01")]
    assert (may["value"], may["value_before"], may["change"]) == (
        Decimal("1500.00"), Decimal("1000.00"), Decimal("50.0"))  # fmt: skip
    assert may["orders_before"] == 1


def test_drafts_cancelled_orders_and_unrated_currencies_are_left_out(manager, alice):
    sp = project(customer(alice))
    confirmed(sp, d("2026-06-02"), "100", "USD")
    move(confirmed(sp, d("2026-06-03"), "999", "USD"), "cancel")
    confirmed(sp, d("2026-06-04"), "5000", "JPY")  # no rate configured
    from tracecode.sales.tests.factories import make_order

    make_order(sp, "mass", currency="USD", ordered_on=d("2026-06-05"))  # a draft
    june = months(manager)[d("2026-06-01")]
    assert june["orders"] == 2 and june["value"] == Decimal("710.00")


def test_payments_received_count_in_the_month_they_came_in(manager, alice):
    order = confirmed(project(customer(alice)), d("2026-02-10"), "1000", "USD")
    pay(order, "300", d("2026-02-15"))
    pay(order, "700", d("2026-03-15"))
    rows = months(manager)
    assert rows[d("2026-02-01")]["payments"] == Decimal("2130.00")
    assert rows[d("2026-03-01")]["payments"] == Decimal("4970.00")
    total = figures.orders_by_month(manager, PERIOD).table("months").total
    assert total["payments"] == Decimal("7100.00") and total["value"] == Decimal("7100.00")


def test_the_charts_draw_the_tables_numbers(manager, alice):
    confirmed(project(customer(alice)), d("2026-07-01"), "10", "CNY")
    report = figures.orders_by_month(manager, PERIOD)
    chart = figures.chart_data(report.tables, report.charts[0])
    assert chart["labels"][6] == "July 2026"
    assert chart["datasets"][0]["data"][6] == 10.0
    assert len(chart["datasets"][0]["data"]) == 12
