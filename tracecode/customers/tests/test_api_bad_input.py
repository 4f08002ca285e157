"""Bodies that are not what the API documents change nothing: a 422, never a 500, never
a sharing emptied by a list or a number."""

import json

import pytest

from tracecode.customers.models import Customer

from .factories import new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(client, token_of):
    def call(user, method, path, body):
        return getattr(client, method)(
            f"/api/customers{path}",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": token_of(user)},
        )

    return call


@pytest.mark.parametrize("body", [[None, None], 42, None, "bob", [{"shared_with": []}]])
def test_sharing_sent_as_anything_but_an_object_is_422_and_changes_nothing(send, alice, bob, body):
    customer = new_customer(alice, shared_with=[bob])
    response = send(alice, "put", f"/{customer.code}/sharing", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "validation_error"
    assert list(customer.shared_with.all()) == [bob]


@pytest.mark.parametrize(
    "field, value",
    [("next_step_due", True), ("nda_date", False), ("next_step", True), ("remark", False)],
)
def test_a_boolean_where_a_date_or_a_text_belongs_is_422(send, alice, field, value):
    customer = new_customer(alice)
    response = send(alice, "patch", f"/{customer.code}", {"version": 1, field: value})
    assert response.status_code == 422, response.content
    assert field in response.json()["error"]["fields"]
    assert Customer.objects.get().version == 1


def test_a_boolean_for_the_date_of_a_conversation_is_422(send, alice):
    customer = new_customer(alice)
    body = {"date": True, "channel": "call", "direction": "out", "summary": "Prices"}
    response = send(alice, "post", f"/{customer.code}/log", body)
    assert response.status_code == 422 and "date" in response.json()["error"]["fields"]
    assert not customer.communications.exists()


def test_a_bad_date_still_gets_the_forms_message(send, alice):
    customer = new_customer(alice)
    response = send(alice, "patch", f"/{customer.code}", {"version": 1, "nda_date": "31.02."})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["nda_date"] == ["Enter a valid date."]


def test_a_good_date_and_a_boolean_are_taken(send, alice):
    customer = new_customer(alice)
    body = {"version": 1, "nda_signed": True, "nda_date": "2026-03-02"}
    response = send(alice, "patch", f"/{customer.code}", body)
    assert response.status_code == 200, response.content
    assert response.json()["nda_signed"] is True and response.json()["nda_date"] == "2026-03-02"


def test_a_null_character_in_a_coding_field_is_422(send, alice):
    body = {"company_name": "Lyon Précision", "country": "FR", "code_values": {"region": "0\x001"}}
    response = send(alice, "post", "/", body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields == {"code_values": ["Null characters are not allowed."]}
    assert not Customer.objects.exists()
