"""A sales person's reports hold their customers' figures only; a manager's everyone's."""

from decimal import Decimal

import pytest

from tracecode.reports import figures

from .helpers import TODAY, confirmed, customer, d, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(alice, bob):
    confirmed(project(customer(alice, "Alice's secret customer")), d("2026-06-01"), "100", "CNY")
    confirmed(project(customer(bob, "Bob's customer")), d("2026-06-01"), "200", "CNY")


@pytest.mark.parametrize("name", list(figures.REPORTS))
def test_bob_never_sees_alices_customers_in_any_report(two, bob, name):
    report = figures.report(name, bob, figures.Filters.default(TODAY), limit=None)
    text = repr([t.rows for t in report.tables]) + repr([t.total for t in report.tables])
    assert "Alice's secret" not in text


def test_alice_sees_her_own_figures_and_the_manager_everyones(two, alice, bob, manager):
    def value(user):
        return figures.orders_by_month(user, figures.Filters.default(TODAY)).table(
            "months").total["value"]  # fmt: skip

    assert (value(alice), value(bob), value(manager)) == (
        Decimal("100.00"), Decimal("200.00"), Decimal("300.00"))  # fmt: skip


def test_filtering_by_another_salesperson_shows_alice_nothing_of_theirs(two, alice, bob):
    f = figures.Filters.default(TODAY, salesperson=bob.pk)
    assert figures.pareto(alice, f).table("customers").rows == []


def test_a_shared_customer_counts_for_whom_it_is_shared_with(alice, bob):
    shared = customer(bob, "Shared with Alice", shared_with=[alice])
    confirmed(project(shared), d("2026-06-01"), "50", "CNY")
    rows = figures.pareto(alice, figures.Filters.default(TODAY)).table("customers").rows
    assert [r["company"] for r in rows] == ["Shared with Alice"]
