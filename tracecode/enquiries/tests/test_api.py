"""The intake through the API: an enquiry from a mail id (what the form would start with,
then made in one call, the acknowledgement sent), accept, reject and assign, the queue;
the same permissions as the pages."""

import email
import email.policy

import pytest

from tracecode.customers.models import Customer
from tracecode.enquiries import services
from tracecode.enquiries.models import AssignmentRule, Enquiry
from tracecode.files.models import StoredFile
from tracecode.sales.models import Project
from tracecode.sales.tests.factories import make_customer

from .factories import buyer_mail, web_enquiry

pytestmark = pytest.mark.django_db


def call(client, method, url, token, body=None):
    kwargs = {"headers": {"Authorization": token}}
    if body is not None:
        return getattr(client, method)(url, body, "application/json", **kwargs)
    return getattr(client, method)(url, **kwargs)


def test_the_proposal_of_a_mail(alice, client, token_of):
    mail = buyer_mail(owner=alice)
    proposal = call(client, "get", f"/api/enquiries/from-mail/{mail.pk}", token_of(alice)).json()
    assert proposal["new_customer"]["company_name"] == "Hoffmann Antriebstechnik GmbH"
    assert proposal["new_customer"]["country"] == "DE"
    assert proposal["contact"] == {
        "name": "Markus Hoffmann", "job_title": "",
        "email": "m.hoffmann@hoffmann-antriebstechnik.de", "phone": "+497117820455",
    }  # fmt: skip
    assert proposal["project"]["name"] == "Drehteile Flansch FL-220"
    assert [f["document_type"] for f in proposal["files"]] == ["Drawing"]
    assert proposal["duplicates"] == [] and proposal["customer"] is None


def test_a_mail_becomes_an_enquiry_in_one_call_and_is_acknowledged(alice, client, token_of, smtp):
    mail = buyer_mail(owner=alice)
    made = call(client, "post", f"/api/enquiries/from-mail/{mail.pk}", token_of(alice),
                {"send_acknowledgement": True})  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    project = Project.objects.get()
    assert (body["customer"], body["project"]) == (project.customer.code, project.code)
    assert [s["document_type"] for s in body["stored"]] == ["Drawing"]
    assert body["filed"] == [mail.pk]
    ack = body["acknowledgement"]
    assert ack["sent"] and ack["subject"].startswith(f"Re: [{project.code}] ")
    assert ack["in_reply_to"] == mail.message_id
    out = email.message_from_bytes(smtp.envelopes[0].content, policy=email.policy.default)
    assert out["Subject"] == ack["subject"]
    assert body["enquiry"]["first_reply_at"] is not None
    assert body["enquiry"]["status"] == "accepted"


def test_a_look_alike_customer_answers_409_until_confirmed_or_picked(alice, client, token_of):
    known = make_customer(alice, "Hoffmann Antriebstechnik GmbH")
    mail = buyer_mail(owner=alice)
    url = f"/api/enquiries/from-mail/{mail.pk}"
    stopped = call(client, "post", url, token_of(alice), {})
    assert stopped.status_code == 409
    assert stopped.json()["error"]["fields"]["customer"] == [known.code]
    picked = call(client, "post", url, token_of(alice), {"customer": known.code, "files": []})
    assert picked.status_code == 201
    assert picked.json()["project"] == f"{known.code}-1"
    assert Customer.objects.count() == 1
    assert not StoredFile.objects.filter(document_type="Drawing").exists()  # none chosen


def test_bad_fields_answer_422_with_the_forms_names(alice, client, token_of):
    mail = buyer_mail(owner=alice)
    wrong = {"new_customer": {"country": "XX"}, "project": {"target_quantity": "-5"}}
    bad = call(client, "post", f"/api/enquiries/from-mail/{mail.pk}", token_of(alice), wrong)
    assert bad.status_code == 422
    assert {"c-country", "p-target_quantity"} <= set(bad.json()["error"]["fields"])
    assert not Project.objects.exists()


def test_accept_reject_and_assign(alice, bob, manager, client, token_of, no_mail_server):
    AssignmentRule.objects.create(kind="country", country="CA", assignee=alice)
    first, second = web_enquiry(), web_enquiry(company_name="Spam Inc.")
    assert (
        call(client, "post", f"/api/enquiries/{first.pk}/accept", token_of(bob), {}).status_code
        == 404
    )
    accepted = call(client, "post", f"/api/enquiries/{first.pk}/accept", token_of(alice), {})
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["acknowledgement"]["sent"] is False
    assert "no mail server answers" in body["acknowledgement"]["problem"]
    assert body["acknowledgement"]["draft"] is not None
    again = call(client, "post", f"/api/enquiries/{first.pk}/accept", token_of(alice), {})
    assert again.status_code == 409
    rejected = call(client, "post", f"/api/enquiries/{second.pk}/reject", token_of(alice),
                    {"reason": "spam"})  # fmt: skip
    assert (rejected.json()["status"], rejected.json()["reject_reason"]) == ("rejected", "spam")
    third = web_enquiry(company_name="Later Ltd.")
    refused = call(client, "post", f"/api/enquiries/{third.pk}/assign", token_of(alice),
                   {"assigned_to": "bob"})  # fmt: skip
    assert refused.status_code == 403
    moved = call(client, "post", f"/api/enquiries/{third.pk}/assign", token_of(manager),
                 {"assigned_to": "bob"})  # fmt: skip
    assert moved.json()["assigned_to"] == "bob"


def test_the_queue_shows_each_what_they_may_see(alice, bob, manager, client, token_of):
    AssignmentRule.objects.create(kind="country", country="CA", assignee=alice)
    mine = web_enquiry()

    def ids(user, query=""):
        items = call(client, "get", f"/api/enquiries/{query}", token_of(user)).json()["items"]
        return [item["id"] for item in items]

    assert ids(alice) == [mine.pk]
    assert ids(bob) == []
    assert ids(manager, "?status=pending") == [mine.pk]
    assert call(client, "get", f"/api/enquiries/{mine.pk}", token_of(bob)).status_code == 404
    shown = call(client, "get", f"/api/enquiries/{mine.pk}", token_of(alice)).json()
    assert shown["files"][0]["filename"] == "HM-40.pdf"
    assert shown["customer"] is None and shown["project"] is None


def test_only_administrators_turn_the_form_on(administrator, manager, client, token_of):
    refused = call(client, "put", "/api/enquiries/form", token_of(manager), {"enabled": True})
    assert refused.status_code == 403
    turned = call(client, "put", "/api/enquiries/form", token_of(administrator), {"enabled": True})
    assert turned.json()["enabled"] is True
    assert services.form_enabled()


def test_figures_per_source(alice, client, token_of):
    AssignmentRule.objects.create(kind="turn", assignee=alice)
    services.mark_replied(web_enquiry(), user=alice)
    figures = call(client, "get", "/api/enquiries/figures", token_of(alice)).json()
    web = next(f for f in figures if f["source"] == "web")
    assert (web["count"], web["answered"]) == (1, 1)
    assert Enquiry.objects.count() == 1
