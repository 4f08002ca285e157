"""Every report is narrowed by salesperson, market, country, industry and currency."""

from decimal import Decimal

import pytest

from tracecode.customers.models import Industry
from tracecode.reports import figures
from tracecode.reports.forms import ReportFilterForm

from .helpers import TODAY, confirmed, customer, d, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, bob):
    confirmed(
        project(customer(alice, "DE auto", country="DE", industry="automotive")),
        d("2026-06-01"),
        "100",
        "EUR",
    )  # 775
    confirmed(
        project(customer(alice, "CN medical", country="CN", industry="medical")),
        d("2026-06-02"),
        "1000",
        "CNY",
    )
    confirmed(project(customer(bob, "US auto", country="US", industry="automotive")),
              d("2026-06-03"), "100", "USD")  # 710  # fmt: skip


def total(user, **values):
    f = figures.Filters.default(TODAY, **values)
    return figures.orders_by_month(user, f).table("months").total["value"]


def test_each_filter_narrows_the_figures(world, manager, alice):
    assert total(manager) == Decimal("2485.00")
    assert total(manager, salesperson=alice.pk) == Decimal("1775.00")
    assert total(manager, market="domestic") == Decimal("1000.00")
    assert total(manager, market="international") == Decimal("1485.00")
    assert total(manager, country="US") == Decimal("710.00")
    automotive = Industry.objects.get(code="automotive").pk
    assert total(manager, industry=automotive) == Decimal("1485.00")
    assert total(manager, currency="EUR") == Decimal("775.00")


def test_the_form_reads_the_filters_and_refuses_a_backwards_period(world, alice):
    form = ReportFilterForm({"salesperson": "alice", "market": "domestic",
                             "industry": "medical", "currency": "CNY",
                             "date_from": "2026-01-01", "date_to": "2026-06-30"})  # fmt: skip
    assert form.is_valid(), form.errors
    f = form.filters()
    assert (f.salesperson, f.market, f.currency, f.date_to) == (alice.pk, "domestic", "CNY",
                                                                 d("2026-06-30"))  # fmt: skip
    backwards = ReportFilterForm({"date_from": "2026-06-01", "date_to": "2026-01-01"})
    assert not backwards.is_valid() and "date_to" in backwards.errors
    too_long = ReportFilterForm({"date_from": "2016-01-01", "date_to": "2026-01-01"})
    assert not too_long.is_valid() and "date_from" in too_long.errors
    assert not ReportFilterForm({"currency": "XXX"}).is_valid()
