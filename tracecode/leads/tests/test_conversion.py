"""An accepted lead becomes a customer and an enquiry, keeping its code and its history."""

import pytest

from tracecode.codes import registry
from tracecode.customers.models import Customer
from tracecode.leads import services
from tracecode.records.tree import everything, timeline
from tracecode.sales.tests.factories import make_customer, make_order, move

from .helpers import accepted, report

pytestmark = pytest.mark.django_db


def test_a_prospect_becomes_a_customer_and_an_enquiry(alice, manager):
    lead = accepted(report(alice, source=None), manager)
    services.convert(lead, user=alice)
    lead.refresh_from_db()
    customer = lead.customer
    assert customer.company_name == "Hanse Pumpen GmbH" and customer.owner == alice
    assert customer.main_contact.name == "Frau Petersen"
    assert lead.project.customer == customer and lead.project.name == "Pump housings"
    assert lead.project.code == f"{customer.code}-1"
    assert lead.project.lead == lead and list(customer.leads.all()) == [lead]
    assert lead.state == "converted" and lead.code.startswith("LD")
    assert f"From order lead {lead.code}." in lead.project.request


def test_its_history_is_filed_under_the_enquiry_it_became(alice, manager):
    lead = accepted(report(alice), manager)
    services.record_result(lead, user=alice, note="Samples wanted")
    services.convert(lead, user=alice)
    lead.refresh_from_db()
    moments = timeline(lead.project.code, alice)
    notes = [m.item.note for m in moments if m.kind.name == "lead_event"]
    assert "Samples wanted" in notes
    tree = everything(lead.customer.code, alice).as_dict()
    kinds = {g["kind"] for g in tree["record"]["groups"]}
    assert "lead" in kinds
    assert registry.lineage(lead) == [lead.customer.code]


def test_a_lead_about_a_customer_becomes_its_next_enquiry_and_then_an_order(alice, manager):
    customer = make_customer(alice)
    lead = accepted(report(alice, customer=customer), manager)
    services.convert(lead, user=alice)
    lead.refresh_from_db()
    assert lead.customer == customer and lead.project.code == f"{customer.code}-1"
    order = move(make_order(lead.project, "sample"), "confirm")
    assert list(services.won_orders(lead)) == [order]


def test_a_prospect_that_looks_like_a_customer_is_not_created_twice(alice, manager):
    make_customer(alice, name="Hanse Pumpen GmbH")
    lead = accepted(report(alice), manager)
    with pytest.raises(services.LooksLikeACustomer, match="Hanse Pumpen"):
        services.convert(lead, user=alice)
    assert Customer.objects.count() == 1 and lead.state == "accepted"
    services.convert(lead, user=alice, create_anyway=True)
    assert Customer.objects.count() == 2


def test_only_an_accepted_lead_becomes_an_enquiry(alice, manager):
    with pytest.raises(services.LeadRefused, match="only an accepted lead"):
        services.convert(report(alice), user=manager)


def test_a_follower_must_see_the_customer_of_the_lead(alice, bob, manager):
    lead = report(alice, customer=make_customer(alice))
    with pytest.raises(services.LeadRefused, match="share the customer"):
        services.accept(lead, user=manager, assigned_to=bob, plan="x",
                        follow_up_due=lead.reported_on)  # fmt: skip
