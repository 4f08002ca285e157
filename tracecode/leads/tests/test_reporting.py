"""Reporting a lead: its own code family, from the `lead` scheme, and its history starts."""

import pytest

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry
from tracecode.leads.models import LeadEvent

from .helpers import report, today

pytestmark = pytest.mark.django_db


def test_the_first_lead_of_the_year_is_LD_year_001_and_the_next_002(alice, bob):
    first, second = report(alice), report(bob)
    year = today().year
    assert (first.code, second.code) == (f"LD{year}-001", f"LD{year}-002")
    assert CodeEntry.objects.get(code=first.code).record_type == "leads.lead"
    assert "lead" in codes.schemes()
    assert codes.explain(first.code)["scheme"] == "lead"


def test_a_lead_starts_reported_with_its_reporter_following_it(alice):
    lead = report(alice)
    assert lead.state == "reported" and lead.assigned_to == alice
    assert list(lead.events.values_list("action", flat=True)) == [LeadEvent.Action.REPORTED]
    assert list(lead.filings.values_list("code", flat=True)) == [lead.code]


def test_a_viewer_may_not_report_a_lead(viewer):
    from tracecode.leads import services

    with pytest.raises(services.NotAllowed):
        report(viewer)
