"""Why enquiries were lost."""

import pytest

from tracecode.reports import figures
from tracecode.sales.models import Project

from .helpers import customer, d, project, rows_by

pytestmark = pytest.mark.django_db

PERIOD = figures.Filters(date_from=d("2026-01-01"), date_to=d("2026-12-31"))


def lost(p, reason):
    Project.objects.filter(pk=p.pk).update(status="lost", lost_reason=reason)


def test_lost_enquiries_are_counted_by_reason(manager, alice):
    c = customer(alice)
    for name, reason in [("A", "Price"), ("B", " Price "), ("C", "Lead time"), ("D", "")]:
        lost(project(c, name, received=d("2026-04-01")), reason)
    project(c, "E", received=d("2026-04-01"))  # still open
    report = figures.lost_reasons(manager, PERIOD)
    reasons = rows_by(report.table("reasons"), "reason")
    assert reasons["Price"]["count"] == 2 and reasons["Lead time"]["count"] == 1
    assert reasons["no reason given"]["count"] == 1
    assert report.table("reasons").total["count"] == 4
    assert {row["name"] for row in report.table("lost").rows} == {"A", "B", "C", "D"}
    assert report.notes == ["4 of 5 enquiries of the period were lost."]
