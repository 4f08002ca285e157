"""The funnel: enquiry → quotation → sample order → mass order, by customer source."""

from decimal import Decimal

import pytest

from tracecode.reports import figures
from tracecode.sales import services

from .helpers import confirmed, customer, d, project, rows_by, sent_quotation

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-12-31"))


def test_each_step_counts_the_enquiries_that_reached_it_with_the_median_days(manager, alice):
    fair = customer(alice, source="trade-show")
    web = customer(alice, "Lyon Précision Médicale SARL", source="website")
    a = project(fair, "A", received=d("2026-03-01"))
    sent_quotation(a, d("2026-03-05"))  # 4 days
    confirmed(a, d("2026-03-15"), kind="sample")  # 10 days after the quotation
    confirmed(a, d("2026-04-14"), kind="mass")  # 30 days after the sample
    b = project(fair, "B", received=d("2026-03-01"))
    sent_quotation(b, d("2026-03-07"))  # 6 days
    project(web, "C", received=d("2026-05-01"))  # never quoted
    project(web, "D", received=d("2025-05-01"))  # before the period
    report = figures.funnel(manager, PERIOD)
    steps = rows_by(report.table("steps"), "step")
    assert [steps[s]["count"] for s in ("Enquiries", "Quoted", "Sample ordered", "Mass order")] \
        == [3, 2, 1, 1]  # fmt: skip
    assert steps["Quoted"]["median_days"] == Decimal("5.0")  # 4 and 6
    assert steps["Sample ordered"]["median_days"] == Decimal("10.0")
    assert steps["Mass order"]["median_days"] == Decimal("30.0")
    assert steps["Quoted"]["of_enquiries"] == Decimal("66.7")
    sources = rows_by(report.table("sources"), "source")
    assert (sources["Trade show"]["enquiries"], sources["Trade show"]["quoted"]) == (2, 2)
    assert (sources["Website"]["enquiries"], sources["Website"]["quoted"]) == (1, 0)
    assert sources["Trade show"]["won_rate"] == Decimal("50.0")


def test_a_draft_quotation_is_no_step(manager, alice):
    sp = project(customer(alice), received=d("2026-02-01"))
    services.create_quotation(sp, user=alice, values={"quoted_on": d("2026-02-02"),
                              "valid_until": d("2026-03-02")}, lines=[])  # fmt: skip
    steps = rows_by(figures.funnel(manager, PERIOD).table("steps"), "step")
    assert steps["Quoted"]["count"] == 0 and steps["Quoted"]["median_days"] is None


def test_the_median_of_an_even_count_is_between_the_middle_two():
    assert figures._median({1: 1, 3: 1, 10: 1, 20: 1}) == Decimal("6.5")
    assert figures._median({2: 3}) == Decimal("2.0")
    assert figures._median({}) is None
