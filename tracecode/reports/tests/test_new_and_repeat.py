"""New customers (first confirmed order ever) against those who come back."""

from decimal import Decimal

import pytest

from tracecode.reports import figures

from .helpers import confirmed, customer, d, project, rows_by

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-06-30"))


def test_a_customer_is_new_in_the_month_of_its_first_order_ever(manager, alice):
    old = project(customer(alice, "Old"))
    confirmed(old, d("2025-10-01"), "100", "CNY")  # before the period: a repeat customer
    confirmed(old, d("2026-02-03"), "300", "CNY")
    new = project(customer(alice, "New"))
    confirmed(new, d("2026-02-10"), "500", "CNY")
    confirmed(new, d("2026-02-20"), "50", "CNY")
    confirmed(new, d("2026-04-01"), "70", "CNY")  # now it comes back
    rows = rows_by(figures.new_and_repeat(manager, PERIOD).table("months"), "month")
    feb, apr = rows[d("2026-02-01")], rows[d("2026-04-01")]
    assert (feb["new"], feb["new_value"], feb["repeat"], feb["repeat_value"]) == (
        1, Decimal("550.00"), 1, Decimal("300.00"))  # fmt: skip
    assert (apr["new"], apr["repeat"], apr["repeat_value"]) == (0, 1, Decimal("70.00"))
    total = figures.new_and_repeat(manager, PERIOD).table("months").total
    assert total["new"] == 1 and total["repeat"] is None
