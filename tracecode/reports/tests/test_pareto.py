"""A/B/C by contribution: the Pareto split of the period's order value."""

from decimal import Decimal

import pytest

from tracecode.customers.models import Customer
from tracecode.reports import figures
from tracecode.sales.figures import contribution_classes

from .helpers import TODAY, confirmed, customer, d, project, rows_by

pytestmark = pytest.mark.django_db


def test_customers_are_ranked_and_classed_like_the_customer_sheet(manager, alice, bob):
    values = {"Big": "7000", "Middle": "2000", "Small": "700", "Tiny": "300"}
    for name, amount in values.items():
        confirmed(project(customer(alice, name)), d("2026-06-01"), amount, "CNY")
    report = figures.pareto(manager, figures.Filters.default(TODAY))
    rows = rows_by(report.table("customers"), "company")
    assert [rows[n]["class"] for n in values] == ["A", "A", "B", "C"]
    assert rows["Big"]["share"] == Decimal("70.0") and rows["Middle"]["cumulative"] == Decimal(
        "90.0")  # fmt: skip
    sheet = contribution_classes(Customer.objects.all(), TODAY)
    by_code = {c.code: sheet[c.pk] for c in Customer.objects.all()}
    assert {r["code"]: r["class"] for r in report.table("customers").rows} == by_code
    classes = rows_by(report.table("classes"), "class")
    assert (classes["A"]["customers"], classes["A"]["value"]) == (2, Decimal("9000.00"))


def test_the_page_lists_the_first_customers_and_the_xlsx_all(manager, alice):
    for n in range(3):
        confirmed(project(customer(alice, f"C{n}")), d("2026-06-01"), str(100 + n), "CNY")
    shown = figures.pareto(manager, figures.Filters.default(TODAY), limit=2).table("customers")
    assert len(shown.rows) == 2 and shown.count == 3 and shown.more == 1
    everything = figures.pareto(manager, figures.Filters.default(TODAY), limit=None)
    assert len(everything.table("customers").rows) == 3
