"""Bob never sees Alice's lead: not in lists, pages, the Everything page, search or the API."""

import pytest

from tracecode.leads.models import Lead, LeadEvent
from tracecode.sales.tests.factories import make_customer
from tracecode.search.services import search

from .helpers import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def prospect(alice):
    return report(alice, company_name="Alice's secret prospect")


def test_bob_cannot_see_alices_lead(prospect, alice, bob, manager):
    assert list(Lead.objects.visible_to(bob)) == []
    assert list(LeadEvent.objects.visible_to(bob)) == []
    assert list(Lead.objects.visible_to(alice)) == [prospect]
    assert list(Lead.objects.visible_to(manager)) == [prospect]


def test_bobs_pages_and_api_answer_404_like_an_unknown_lead(prospect, client_of, token_of, bob):
    client = client_of(bob)
    for url in (f"/leads/{prospect.code}/", f"/leads/{prospect.code}/edit/",
                f"/everything/{prospect.code}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"/leads/{prospect.code}/result/", {"result-note": "x"}).status_code == 404
    assert "secret" not in client.get("/leads/?tab=all").content.decode()
    api = {"Authorization": token_of(bob)}
    assert client.get(f"/api/leads/{prospect.code}", headers=api).status_code == 404
    assert client.get("/api/leads/", headers=api).json()["count"] == 0


def test_a_lead_about_a_customer_shared_with_bob_is_his_to_see(alice, bob):
    shared = make_customer(alice, name="Shared", shared_with=[bob])
    lead = report(alice, customer=shared)
    assert list(Lead.objects.visible_to(bob)) == [lead]


def test_search_finds_a_customers_lead_for_who_sees_the_customer_only(alice, bob):
    lead = report(alice, customer=make_customer(alice, name="Nordwerk"), product="Gear housing")
    hits = [hit.code for group in search(alice, lead.code).groups for hit in group.hits]
    assert lead.code in hits
    assert search(bob, lead.code).total == 0 and search(bob, "Gear housing").total == 0


def test_a_prospects_lead_is_found_in_search_by_managers_only(prospect, alice, manager):
    """The search index decides by the customer; a prospect has none yet (see records.py)."""
    assert search(manager, prospect.code).total == 1
    assert search(alice, prospect.code).total == 0
