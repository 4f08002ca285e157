"""On-time delivery: shipped (ETD) against the customer's delivery date."""

from decimal import Decimal

import pytest

from tracecode.reports import figures

from .helpers import confirmed, customer, d, project, rows_by, shipped

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-12-31"))


def test_an_order_is_on_time_when_it_leaves_by_the_delivery_date(manager, alice):
    sp = project(customer(alice))
    shipped(confirmed(sp, d("2026-03-01"), delivery_date=d("2026-04-01")), d("2026-04-01"))
    shipped(confirmed(sp, d("2026-03-02"), delivery_date=d("2026-04-01")), d("2026-04-05"))
    shipped(confirmed(sp, d("2026-03-03"), delivery_date=d("2026-04-10")), d("2026-04-20"))
    report = figures.on_time_delivery(manager, PERIOD)
    april = rows_by(report.table("months"), "month")[d("2026-04-01")]
    assert (april["shipped"], april["on_time"], april["late"]) == (3, 1, 2)
    assert april["on_time_rate"] == Decimal("33.3") and april["days_late"] == Decimal("7.0")
    assert [r["days"] for r in report.table("late").rows] == [10, 4]
