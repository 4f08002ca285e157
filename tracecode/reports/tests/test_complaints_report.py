"""Complaints by cause, and the ones that come back per customer and part."""

import pytest

from tracecode.reports import figures
from tracecode.sales import services

from .helpers import confirmed, customer, d, project, rows_by

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-12-31"))


def complain(order, on, cause=""):
    return services.open_complaint(order, user=order.project.customer.owner, values={
        "received_on": on, "content": "Burrs", "cause": cause})  # fmt: skip


def test_complaints_are_counted_by_cause_and_recurrence_per_customer_and_part(manager, alice):
    c = customer(alice)
    housing, gasket = project(c, "SP1003"), project(c, "SP1004")
    complain(confirmed(housing, d("2026-02-01")), d("2026-03-01"), "process")
    complain(confirmed(housing, d("2026-05-01")), d("2026-06-01"), "process")
    complain(confirmed(housing, d("2026-07-01")), d("2026-08-01"), "material")
    complain(confirmed(gasket, d("2026-07-01")), d("2026-08-02"))
    report = figures.complaints(manager, PERIOD)
    causes = rows_by(report.table("causes"), "cause")
    assert causes["process or method"]["count"] == 2 and causes["material"]["count"] == 1
    assert causes["not classified yet"]["open"] == 1
    recurring = report.table("recurring").rows
    assert len(recurring) == 1
    assert (recurring[0]["part"], recurring[0]["count"]) == ("SP1003", 3)
    assert recurring[0]["causes"] == "process or method ×2, material ×1"
    assert (recurring[0]["first"], recurring[0]["last"]) == (d("2026-03-01"), d("2026-08-01"))
