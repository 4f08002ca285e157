"""The leads pages: report a lead, a manager accepts it, its follower makes it an enquiry."""

import pytest

from tracecode.leads import services
from tracecode.leads.models import Lead

from .helpers import accepted, report, today

pytestmark = pytest.mark.django_db


def test_a_sales_person_reports_a_lead_on_the_page(client_of, alice):
    client = client_of(alice)
    assert "Report the lead" in client.get("/leads/new/").content.decode()
    response = client.post("/leads/new/", {
        "company_name": "Hanse Pumpen GmbH", "country": "DE", "phone": "040 1234 5678",
        "product": "Pump housings", "expected_value": "45000", "currency": "EUR",
        "expected_month": f"{today():%Y-%m}", "probability": "40",
    })  # fmt: skip
    lead = Lead.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leads/{lead.code}/"
    assert lead.phone == "+4940 12345678" or lead.phone.startswith("+4940")
    page = client.get(response["Location"]).content.decode()
    assert "Hanse Pumpen GmbH" in page and "reported" in page


def test_a_lead_names_a_customer_or_a_prospect(client_of, alice):
    response = client_of(alice).post("/leads/new/", {
        "product": "Housings", "expected_value": "1", "currency": "EUR",
        "expected_month": f"{today():%Y-%m}", "probability": "140",
    })  # fmt: skip
    page = response.content.decode()
    assert "Name the prospect&#x27;s company, or choose the customer." in page
    assert "less than or equal to 100" in page
    assert not Lead.objects.exists()


def test_the_manager_sees_the_moves_and_the_reporter_does_not(client_of, alice, manager):
    lead = report(alice)
    assert 'id="move-accept"' in client_of(manager).get(lead.get_absolute_url()).content.decode()
    page = client_of(alice).get(lead.get_absolute_url()).content.decode()
    assert 'id="move-accept"' not in page
    assert client_of(alice).post(f"/leads/{lead.code}/accept/", {}).status_code == 403


def test_accepting_on_the_page_then_making_it_an_enquiry(client_of, alice, manager):
    lead = report(alice)
    manager_client = client_of(manager)
    response = manager_client.post(f"/leads/{lead.code}/accept/", {
        "accept-assigned_to": "alice", "accept-plan": "Visit Hamburg",
        "accept-follow_up_due": today().isoformat(), "accept-note": "Our line"})  # fmt: skip
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == "accepted"
    client = client_of(alice)
    response = client.post(f"/leads/{lead.code}/convert/", {})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == "converted" and lead.project is not None


def test_a_move_with_a_missing_field_is_shown_again_with_its_error(client_of, alice, manager):
    lead = accepted(report(alice), manager)
    response = client_of(alice).post(f"/leads/{lead.code}/result/", {"result-note": ""})
    assert response.status_code == 422
    assert 'id="move-result"' in response.content.decode()


def test_the_list_shows_the_users_leads_by_tab(client_of, alice, bob, manager):
    report(alice, product="Alice's pumps")
    report(bob, product="Bob's brackets")
    page = client_of(alice).get("/leads/").content.decode()
    assert "Alice&#x27;s pumps" in page and "Bob&#x27;s brackets" not in page
    page = client_of(manager).get("/leads/?tab=reported").content.decode()
    assert "Alice&#x27;s pumps" in page and "Bob&#x27;s brackets" in page
    assert client_of(manager).get("/leads/?tab=nonsense").status_code == 404


def test_the_list_and_a_lead_cost_the_same_queries_with_more_leads(client_of, alice, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(manager)
    lead = accepted(report(alice), manager)

    def counted(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = (counted("/leads/?tab=all"), counted(lead.get_absolute_url()))
    for n in range(5):
        other = accepted(report(alice, product=f"Part {n}"), manager)
        services.record_result(lead, user=alice, note=f"Call {n}")
        services.record_result(other, user=alice, note="Called")
    assert (counted("/leads/?tab=all"), counted(lead.get_absolute_url())) == few
