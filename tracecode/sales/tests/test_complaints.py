"""Complaints carry the order's number; a further one on the same order gets -2, -3."""

import pytest
from django.core.exceptions import ValidationError

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry
from tracecode.core.workflow import IllegalTransition
from tracecode.sales import services
from tracecode.sales.figures import customer_figures

from .factories import make_customer, make_project, order_in, today

pytestmark = pytest.mark.django_db

REPORT = {"content": "12 of 500 housings show porosity on the sealing face", "severity": "major"}


@pytest.fixture
def order(alice):
    return order_in("arrived", make_project(make_customer(alice)))


def complain(order, **values):
    return services.open_complaint(
        order, user=order.project.customer.owner, values={**REPORT, **values}
    )


def test_the_first_complaint_carries_the_order_number(order):
    complaint = complain(order)
    assert complaint.number == order.code
    assert complaint.code == order.code  # what the registry's lookups ask for
    assert CodeEntry.objects.filter(code=order.code).get().record_type == "sales.order"


def test_further_complaints_get_the_documented_suffix(order):
    numbers = [complain(order).number for _ in range(3)]
    assert numbers == [order.code, f"{order.code}-2", f"{order.code}-3"]
    entry = CodeEntry.objects.get(code=f"{order.code}-2")
    assert (entry.scheme, entry.parent_code, entry.record_type) == (
        "complaint",
        order.code,
        "sales.complaint",
    )
    assert codes.explain(f"{order.code}-2")["scheme"] == "complaint"


def test_a_complaint_code_is_known_to_those_who_see_the_order(order, alice, bob):
    complain(order)
    second = complain(order)
    assert codes.visible_codes(alice, [second.number]) == {second.number}
    assert codes.visible_codes(bob, [second.number]) == set()


def test_a_draft_or_cancelled_order_has_nothing_to_complain_about(alice):
    project = make_project(make_customer(alice))
    for state in ("draft", "cancelled"):
        with pytest.raises(ValidationError, match="nothing to complain about"):
            complain(order_in(state, project))


def test_closing_needs_the_analysis_the_action_and_telling_the_customer(order, alice):
    complaint = complain(order)
    with pytest.raises(IllegalTransition) as refused:
        services.close_complaint(complaint, user=alice)
    assert "the cause analysis, the corrective action, the date" in refused.value.message
    assert complaint.is_open
    complaint.cause_analysis = "Gas porosity: die temperature too low on night shift"
    complaint.corrective_action = "Die heater alarm added; 100% leak test for 3 lots"
    complaint.result = "8D report sent; replacement parts shipped by DHL"
    complaint.result_told_on = today()
    complaint.save()
    services.close_complaint(complaint, user=alice)
    assert not complaint.is_open and complaint.closed_by == alice


def test_open_complaints_show_on_the_customer_figures(order, alice):
    first = complain(order)
    second = complain(order)
    first.cause_analysis = first.corrective_action = "done"
    first.result_told_on = today()
    first.save()
    services.close_complaint(first, user=alice)
    figures = customer_figures(order.project.customer)
    assert [c.number for c in figures.open_complaints] == [second.number]


def test_a_complaint_is_in_the_order_timeline(order):
    complaint = complain(order)
    event = order.events.get(action="complaint")
    from tracecode.sales.workflow import describe

    assert describe(event) == f"Complaint {complaint.number} received"
