"""Receivables: open balances by age, and the overdue list."""

import datetime
from decimal import Decimal

import pytest

from tracecode.reports import figures

from .helpers import TODAY, confirmed, customer, pay, project, rows_by

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_credit_block(settings):
    """The ageing needs orders confirmed while older ones are long overdue, which credit
    control (tracecode/care) would refuse: its own tests tell that story."""
    settings.CREDIT_OVERDUE_DAYS = 100_000


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def test_open_balances_are_aged_by_days_since_confirmation(manager, alice):
    sp = project(customer(alice))
    confirmed(sp, ago(10), "100", "USD")  # 0–30
    pay(confirmed(sp, ago(45), "100", "USD"), "40", ago(40))  # 31–60, 60 open
    confirmed(sp, ago(75), "100", "USD", payment_due_on=ago(5))  # 61–90, overdue
    confirmed(sp, ago(200), "100", "EUR", payment_due_on=ago(100))  # over 90, overdue
    pay(confirmed(sp, ago(20), "100", "USD"), "100", ago(1))  # paid: not a receivable
    report = figures.receivables(manager, figures.Filters.default(TODAY), today=TODAY)
    ageing = rows_by(report.table("ageing"), "age")
    assert ageing["0–30 days"]["balance"] == Decimal("710.00")
    assert ageing["31–60 days"]["balance"] == Decimal("426.00")
    assert ageing["61–90 days"]["overdue"] == Decimal("710.00")
    assert ageing["over 90 days"]["balance"] == Decimal("775.00")
    assert report.table("ageing").total["overdue"] == Decimal("1485.00")
    overdue = report.table("overdue").rows
    assert [(r["days"], r["balance"]) for r in overdue] == [(100, "EUR 100.00"),
                                                            (5, "USD 100.00")]  # fmt: skip
