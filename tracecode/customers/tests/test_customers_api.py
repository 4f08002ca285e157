"""The customer archive through /api/customers/: the same rules and messages as the pages."""

import datetime

import pytest
from django.utils import timezone

from tracecode.customers.models import ChangeRecord, Customer

from .factories import industry, new_contact, new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, token_of):
    """`api(alice).post("/", {...})`: calls /api/customers as that user."""

    class Caller:
        def __init__(self, user):
            self.headers = {"Authorization": token_of(user)}

        def _call(self, method, path, data=None):
            kwargs = {"headers": self.headers}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            return getattr(client, method)(f"/api/customers{path}", **kwargs)

        def get(self, path, **params):
            return client.get(f"/api/customers{path}", params, headers=self.headers)

        def post(self, path, data=None):
            return self._call("post", path, data if data is not None else {})

        def patch(self, path, data):
            return self._call("patch", path, data)

        def put(self, path, data):
            return self._call("put", path, data)

        def delete(self, path):
            return self._call("delete", path)

    return Caller


NORDWERK = {
    "company_name": "Nordwerk Automotive GmbH",
    "country": "DE",
    "email": "einkauf@nordwerk-automotive.de",
    "website": "nordwerk-automotive.de",
    "phone": "0711 123456",
    "city": "Stuttgart",
    "industry": "automotive",
    "status": "following-up",
    "nda_signed": True,
    "nda_date": "2026-03-02",
    "satisfaction": 4,
    "credit_limit": "150000.00",
}


def test_alice_creates_a_customer_and_gets_its_code(api, alice):
    industry()
    response = api(alice).post("/", NORDWERK)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "RK001"
    assert body["owner"] == "alice"
    assert body["phone"] == "+49711123456"  # read with the customer's country as region
    assert body["website"] == "https://nordwerk-automotive.de"
    assert body["industry"] == "automotive" and body["status"] == "following-up"
    assert body["domestic"] is False and body["version"] == 1
    assert body["figures"]["quotes"] == 0 and body["figures"]["first_quotation"] is None
    assert body["duplicates"] == []


def test_bad_fields_are_422_with_the_forms_messages(api, alice):
    response = api(alice).post(
        "/",
        {"company_name": "Lyon Précision", "country": "XX", "email": "not-an-address",
         "website": "http://", "phone": "12", "satisfaction": 9},
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) >= {"country", "email", "website", "satisfaction"}
    assert "Select a valid choice" in error["fields"]["country"][0]
    assert "valid email" in error["fields"]["email"][0]
    assert not Customer.objects.exists()


def test_a_bad_phone_says_why(api, alice):
    response = api(alice).post("/", {"company_name": "X GmbH", "country": "DE", "phone": "12"})
    assert response.status_code == 422
    assert "valid phone number" in response.json()["error"]["fields"]["phone"][0]


def test_bob_gets_404_for_alices_customer_everywhere(api, alice, bob):
    customer = new_customer(alice)
    contact = new_contact(customer, alice)
    bob_api = api(bob)
    for path in ["/RK001", "/RK001/contacts", "/RK001/log", "/RK001/history"]:
        assert bob_api.get(path).status_code == 404, path
    assert bob_api.patch("/RK001", {"remark": "mine now", "version": 1}).status_code == 404
    assert bob_api.post("/RK001/contacts", {"name": "Spy"}).status_code == 404
    assert bob_api.post(f"/RK001/contacts/{contact.code}/main").status_code == 404
    assert bob_api.post("/RK001/log", {"channel": "call", "direction": "out",
                                       "summary": "x"}).status_code == 404  # fmt: skip
    assert bob_api.post("/RK001/archive").status_code == 404
    assert bob_api.delete("/RK001").status_code == 404
    assert bob_api.get("/").json() == {"items": [], "count": 0}
    assert bob_api.get("/duplicates", company_name="Nordwerk Automotive").json() == []


def test_a_manager_sees_and_changes_every_customer(api, alice, manager):
    new_customer(alice)
    assert api(manager).get("/RK001").status_code == 200
    response = api(manager).patch("/RK001", {"remark": "checked", "version": 1})
    assert response.status_code == 200 and response.json()["remark"] == "checked"


def test_a_viewer_reads_what_is_shared_and_changes_nothing(api, alice, viewer):
    new_customer(alice, shared_with=[viewer])
    assert api(viewer).get("/RK001").status_code == 200
    assert api(viewer).patch("/RK001", {"remark": "x", "version": 1}).status_code == 403
    assert api(viewer).post("/RK001/contacts", {"name": "X"}).status_code == 403
    assert api(viewer).post("/", NORDWERK).status_code == 403


def test_update_changes_fields_records_history_and_moves_the_version(api, alice):
    industry()
    api(alice).post("/", NORDWERK)
    response = api(alice).patch(
        "/RK001", {"satisfaction": 5, "next_step": "Send samples", "version": 1}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["satisfaction"] == 5 and body["version"] == 2
    assert body["industry"] == "automotive"  # untouched fields stay
    history = api(alice).get("/RK001/history").json()
    changed = {(h["field"], h["old_value"], h["new_value"]) for h in history}
    assert ("satisfaction", "4", "5") in changed
    assert ("next_step", "", "Send samples") in changed


def test_a_stale_version_is_409_and_nothing_is_overwritten(api, alice, bob):
    new_customer(alice, shared_with=[bob])
    assert api(alice).patch("/RK001", {"remark": "Alice's", "version": 1}).status_code == 200
    response = api(bob).patch("/RK001", {"remark": "Bob's", "version": 1})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and "remark" in error["fields"]
    assert Customer.objects.get().remark == "Alice's"


def test_a_missing_version_is_422(api, alice):
    new_customer(alice)
    response = api(alice).patch("/RK001", {"remark": "x"})
    assert response.status_code == 422 and "version" in response.json()["error"]["fields"]


def test_contacts_get_codes_and_the_main_contact_change_is_recorded(api, alice):
    new_customer(alice)
    first = api(alice).post("/RK001/contacts", {"name": "Jonas Weber", "job_title": "Buyer",
                                                "whatsapp": "+49 171 2345678"})  # fmt: skip
    assert first.status_code == 201, first.json()
    assert first.json()["code"] == "RK001-C01" and first.json()["is_main"] is True
    assert first.json()["whatsapp"] == "+491712345678"
    second = api(alice).post("/RK001/contacts", {"name": "Anna Schmidt"}).json()
    assert second["code"] == "RK001-C02" and second["is_main"] is False
    made = api(alice).post("/RK001/contacts/RK001-C02/main")
    assert made.status_code == 200 and made.json()["is_main"] is True
    sheet = api(alice).get("/RK001").json()
    assert [c["code"] for c in sheet["contacts"] if c["is_main"]] == ["RK001-C02"]
    latest = sheet["main_contact_changes"][0]
    assert (latest["previous"], latest["new"], latest["changed_by"]) == (
        "Jonas Weber", "Anna Schmidt", "alice",
    )  # fmt: skip


def test_a_contact_with_a_bad_phone_is_422(api, alice):
    new_customer(alice)
    response = api(alice).post("/RK001/contacts", {"name": "X", "phone": "abc"})
    assert response.status_code == 422 and "phone" in response.json()["error"]["fields"]


def test_a_contact_is_updated_with_its_version(api, alice):
    customer = new_customer(alice)
    new_contact(customer, alice, name="Jonas Weber")
    response = api(alice).patch(
        "/RK001/contacts/RK001-C01", {"job_title": "Head of purchasing", "version": 1}
    )
    assert response.status_code == 200 and response.json()["job_title"] == "Head of purchasing"
    stale = api(alice).patch("/RK001/contacts/RK001-C01", {"job_title": "x", "version": 1})
    assert stale.status_code == 409
    record = ChangeRecord.objects.get(field="job_title")
    assert record.subject == "RK001-C01" and record.new_value == "Head of purchasing"


def test_log_entries_drive_last_contact_and_response_status(api, alice):
    new_customer(alice)
    new_contact(Customer.objects.get(), alice)
    today = timezone.localdate()
    sent = api(alice).post("/RK001/log", {"channel": "whatsapp", "direction": "out",
                                          "contact": "RK001-C01", "date": str(today),
                                          "summary": "Sent the drawing questions"})  # fmt: skip
    assert sent.status_code == 201, sent.json()
    assert api(alice).get("/RK001").json()["figures"]["response_status"] == "no_reply"
    api(alice).post("/RK001/log", {"channel": "mail", "direction": "in", "date": str(today),
                                   "summary": "Answers received"})  # fmt: skip
    figures = api(alice).get("/RK001").json()["figures"]
    assert figures["response_status"] == "reply_received"
    assert figures["last_contact"] == str(today)
    log = api(alice).get("/RK001/log").json()
    assert {e["channel"] for e in log} == {"whatsapp", "mail"}


def test_a_log_entry_with_a_bad_channel_is_422(api, alice):
    new_customer(alice)
    response = api(alice).post("/RK001/log", {"channel": "fax", "direction": "out",
                                              "summary": "x"})  # fmt: skip
    assert response.status_code == 422 and "channel" in response.json()["error"]["fields"]


def test_the_list_filters_like_the_page(api, alice, bob):
    industry()
    api(alice).post("/", NORDWERK)
    api(alice).post("/", {"company_name": "Milano Motori S.p.A.", "country": "IT"})
    api(bob).post("/", {"company_name": "Osaka Kiki", "country": "JP"})
    assert api(alice).get("/").json()["count"] == 2
    assert [c["code"] for c in api(alice).get("/", country="IT").json()["items"]] == ["RK002"]
    assert [c["code"] for c in api(alice).get("/", industry="automotive").json()["items"]] == [
        "RK001"
    ]
    assert api(alice).get("/", owner="bob").json()["count"] == 0  # bob's stay invisible
    page = api(alice).get("/", limit=1, offset=1).json()
    assert page["count"] == 2 and [c["code"] for c in page["items"]] == ["RK002"]
    bad = api(alice).get("/", country="XX")
    assert bad.status_code == 422 and "country" in bad.json()["error"]["fields"]


def test_my_follow_ups_are_due_and_overdue_oldest_first(api, alice):
    today = timezone.localdate()
    new_customer(
        alice, "Later GmbH", next_step="Call", next_step_due=today + datetime.timedelta(days=3)
    )
    new_customer(alice, "Today GmbH", next_step="Send PI", next_step_due=today)
    new_customer(
        alice, "Late GmbH", next_step="Chase", next_step_due=today - datetime.timedelta(days=5)
    )
    body = api(alice).get("/follow-ups").json()
    assert [f["company_name"] for f in body] == ["Late GmbH", "Today GmbH"]
    assert [f["overdue"] for f in body] == [True, False]


def test_a_customer_without_orders_is_deleted_and_its_code_stays_used(api, alice):
    new_customer(alice)
    assert api(alice).delete("/RK001").status_code == 204
    assert not Customer.objects.exists()
    assert api(alice).post("/", {"company_name": "Next", "country": "DE"}).json()["code"] == "RK002"


def test_a_customer_with_orders_is_archived_instead_of_deleted(api, alice, monkeypatch):
    from tracecode.customers.figures import CustomerFigures

    monkeypatch.setattr(
        "tracecode.customers.services.customer_figures",
        lambda customer: CustomerFigures(has_orders=True),
    )
    new_customer(alice)
    response = api(alice).delete("/RK001")
    assert response.status_code == 409 and response.json()["error"]["code"] == "has_orders"
    assert api(alice).post("/RK001/archive").json()["archived"] is True
    assert api(alice).get("/").json()["count"] == 0
    assert api(alice).get("/", archived="archived").json()["count"] == 1
    assert api(alice).post("/RK001/restore").json()["archived"] is False


def test_sharing_is_for_the_owner_and_handing_over_for_managers(api, alice, bob, manager):
    new_customer(alice)
    shared = api(alice).put("/RK001/sharing", {"shared_with": ["bob"]})
    assert shared.status_code == 200 and shared.json()["shared_with"] == ["bob"]
    assert api(bob).get("/RK001").status_code == 200
    assert api(bob).put("/RK001/sharing", {"shared_with": []}).status_code == 403
    assert api(alice).put("/RK001/sharing", {"owner": "bob"}).status_code == 403
    handed = api(manager).put("/RK001/sharing", {"owner": "bob", "shared_with": []})
    assert handed.json()["owner"] == "bob"
    assert api(alice).get("/RK001").status_code == 404


def test_the_duplicate_check_warns_on_creation(api, alice):
    api(alice).post("/", NORDWERK)
    response = api(alice).post(
        "/", {"company_name": "NORDWERK AUTOMOTIVE G.m.b.H.", "country": "DE",
              "email": "info@nordwerk-automotive.de"},
    )  # fmt: skip
    assert response.status_code == 201  # a warning, not a refusal
    (duplicate,) = response.json()["duplicates"]
    assert duplicate["code"] == "RK001"
    assert "similar company name" in duplicate["reasons"]
    found = api(alice).get("/duplicates", email="sales@nordwerk-automotive.de").json()
    assert [d["code"] for d in found] == ["RK001", "RK002"]


def test_the_customer_api_is_in_the_openapi_schema(client_of, alice):
    paths = client_of(alice).get("/api/openapi.json").json()["paths"]
    for path in ["/api/customers/", "/api/customers/{code}", "/api/customers/{code}/contacts",
                 "/api/customers/{code}/log", "/api/customers/follow-ups"]:  # fmt: skip
        assert path in paths
