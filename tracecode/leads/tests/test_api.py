"""/api/leads/: a lead reported, evaluated, followed up and made an enquiry by programs."""

import pytest

from tracecode.leads.models import Lead

from .helpers import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, token_of):
    def send(user, method, path, body=None):
        headers = {"Authorization": token_of(user)}
        if method == "get":
            return client.get(f"/api/leads/{path}", headers=headers)
        write = getattr(client, method)
        return write(f"/api/leads/{path}", body or {}, content_type="application/json",
                     headers=headers)  # fmt: skip

    return send


REPORT = {"company_name": "Hanse Pumpen GmbH", "country": "DE", "product": "Pump housings",
          "source": "trade-show",
          "expected_value": "45000", "currency": "EUR", "probability": 40}  # fmt: skip


def test_a_lead_goes_from_reported_to_an_enquiry_through_the_api(call, alice, manager):
    month = f"{today():%Y-%m}"
    made = call(alice, "post", "", {**REPORT, "expected_month": month})
    assert made.status_code == 201, made.content
    code = made.json()["code"]
    assert made.json()["state"] == "reported" and made.json()["expected_month"].startswith(month)
    assert made.json()["source"] == "trade-show"
    accepted = call(manager, "post", f"{code}/accept", {
        "assigned_to": "alice", "plan": "Visit", "follow_up_due": today().isoformat()})  # fmt: skip
    assert accepted.json()["state"] == "accepted"
    call(alice, "post", f"{code}/results", {"note": "Drawing received"})
    converted = call(alice, "post", f"{code}/convert", {})
    assert converted.status_code == 200, converted.content
    body = converted.json()
    assert body["state"] == "converted" and body["project"].endswith("-1")
    assert [e["action"] for e in body["history"]] == ["reported", "accepted", "result",
                                                      "converted"]  # fmt: skip


def test_bad_fields_answer_422_with_the_forms_messages(call, alice):
    answer = call(alice, "post", "", {**REPORT, "company_name": "", "expected_month": "soon"})
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"company_name", "expected_month"}


def test_refusals_are_403_409_and_404(call, alice, bob, manager):
    code = call(alice, "post", "", {**REPORT, "expected_month": f"{today():%Y-%m}"}).json()["code"]
    plan = {"assigned_to": "alice", "plan": "x", "follow_up_due": today().isoformat()}
    assert call(alice, "post", f"{code}/accept", plan).status_code == 403
    assert call(bob, "post", f"{code}/accept", plan).status_code == 404
    assert call(manager, "post", f"{code}/lose", {"reason": "no"}).status_code == 409
    assert call(bob, "get", code).status_code == 404


def test_the_reporter_changes_the_lead_while_it_waits(call, alice):
    made = call(alice, "post", "", {**REPORT, "expected_month": f"{today():%Y-%m}"}).json()
    changed = call(alice, "patch", made["code"], {"probability": 70, "version": made["version"]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["probability"] == 70 and changed.json()["source"] == "trade-show"
    stale = call(alice, "patch", made["code"], {"probability": 10, "version": made["version"]})
    assert stale.status_code == 409
    assert Lead.objects.get(code=made["code"]).probability == 70
