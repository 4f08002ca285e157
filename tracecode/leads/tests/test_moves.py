"""A manager accepts or rejects a lead and plans the follow-up; results are recorded; the
lead is lost or becomes an enquiry. Each move is allowed from some states, by some people."""

import datetime

import pytest

from tracecode.leads import services

from .helpers import accepted, report, today

pytestmark = pytest.mark.django_db


def test_a_manager_accepts_a_lead_and_plans_who_follows_it_up_by_when(alice, bob, manager):
    lead = report(alice)
    services.accept(lead, user=manager, assigned_to=bob, plan="Visit Hamburg",
                    follow_up_due=today(), note="Worth it: cast iron is our line.")  # fmt: skip
    lead.refresh_from_db()
    assert (lead.state, lead.assigned_to, lead.plan) == ("accepted", bob, "Visit Hamburg")
    assert (lead.decided_by, lead.decision_note) == (manager, "Worth it: cast iron is our line.")
    assert list(lead.events.values_list("action", flat=True)) == ["reported", "accepted"]


def test_a_rejection_needs_a_reason_and_ends_the_lead(alice, manager):
    lead = report(alice)
    with pytest.raises(services.LeadRefused, match="reason"):
        services.reject(lead, user=manager, reason=" ")
    services.reject(lead, user=manager, reason="Volumes too small")
    lead.refresh_from_db()
    assert (lead.state, lead.decision_note, lead.closed_on) == ("rejected", "Volumes too small",
                                                                 today())  # fmt: skip
    with pytest.raises(services.LeadRefused, match="rejected"):
        accepted(lead, manager)


def test_only_a_manager_evaluates_and_plans(alice, bob):
    lead = report(alice)
    with pytest.raises(services.NotAllowed):
        services.accept(lead, user=alice, assigned_to=alice, plan="x", follow_up_due=today())
    with pytest.raises(services.NotAllowed):
        services.reject(lead, user=bob, reason="no")


def test_the_follower_records_results_and_sets_the_next_follow_up(alice, manager):
    lead = accepted(report(alice), manager)
    later = today() + datetime.timedelta(days=7)
    services.record_result(lead, user=alice, note="Drawing received", follow_up_due=later)
    lead.refresh_from_db()
    assert lead.follow_up_due == later
    assert lead.events.last().note == "Drawing received"
    with pytest.raises(services.LeadRefused):
        services.record_result(lead, user=alice, note="")


def test_results_wait_until_the_lead_is_accepted(alice):
    with pytest.raises(services.LeadRefused, match="reported"):
        services.record_result(report(alice), user=alice, note="Called")


def test_someone_else_may_not_record_results_on_alices_lead(alice, bob, manager):
    lead = accepted(report(alice), manager)
    with pytest.raises(services.NotAllowed):
        services.record_result(lead, user=bob, note="Called")


def test_a_lead_that_came_to_nothing_is_closed_as_lost_with_why(alice, manager):
    lead = accepted(report(alice), manager)
    services.lose(lead, user=alice, reason="They make it in-house now")
    lead.refresh_from_db()
    assert (lead.state, lead.closing_note) == ("lost", "They make it in-house now")
    assert services.allowed_moves(manager, lead) == []


def test_the_moves_a_person_may_make_now(alice, bob, manager):
    lead = report(alice)
    assert services.allowed_moves(manager, lead) == ["accept", "reject"]
    assert services.allowed_moves(alice, lead) == []
    accepted(lead, manager)
    assert services.allowed_moves(alice, lead) == ["result", "convert", "lose"]
    assert services.allowed_moves(bob, lead) == []


def test_the_reporter_changes_the_lead_until_it_is_evaluated(alice, manager):
    lead = report(alice)
    assert services.may_edit(alice, lead)
    accepted(lead, manager)
    assert not services.may_edit(alice, lead) and services.may_edit(manager, lead)
