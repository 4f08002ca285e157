"""Customer information is a trade secret: sales users see only their own and shared
customers, everywhere — lists, sheets, exports, search, counts, follow-ups and the API."""

import datetime

import pytest
from django.utils import timezone

from .factories import new_contact, new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(alice):
    customer = new_customer(
        alice, "Secret Motors Ltd", email="buyer@secret-motors.example",
        next_step_due=timezone.localdate() - datetime.timedelta(days=1), next_step="Chase PO",
    )  # fmt: skip
    new_contact(customer, alice, "Hidden Person")
    return customer


def test_bob_cannot_see_alices_customer_anywhere(client_of, bob, secret):
    client = client_of(bob)
    for url in ["/customers/RK001/", "/customers/RK001/edit/", "/customers/RK001/sharing/",
                "/customers/RK001/contacts/new/", "/customers/RK001/contacts/RK001-C01/edit/",
                "/customers/RK001/log/", "/customers/RK001/delete/"]:  # fmt: skip
        assert client.get(url).status_code == 404, url
    for url in ["/customers/", "/customers/?q=Secret", "/customers/follow-ups/", "/",
                "/search/?q=Secret", "/search/suggest?q=Secret", "/imports/customers/export.csv",
                "/api/customers/", "/api/customers/follow-ups"]:  # fmt: skip
        body = client.get(url).content.decode("utf-8-sig")
        assert "RK001" not in body and "Secret Motors" not in body, url
    assert client.get("/api/customers/").json()["count"] == 0
    dup = client.post("/customers/duplicates/", {"email": "x@secret-motors.example"})
    assert "RK001" not in dup.content.decode()


def test_a_manager_sees_it_everywhere(client_of, manager, secret):
    client = client_of(manager)
    assert client.get("/customers/RK001/").status_code == 200
    assert "RK001" in client.get("/customers/").content.decode()
    assert "RK001" in client.get("/imports/customers/export.csv").content.decode("utf-8-sig")
    assert "RK001" in client.get("/search/?q=Secret").content.decode()


def test_a_shared_viewer_reads_the_sheet_without_any_way_to_change_it(client_of, alice, viewer):
    new_customer(alice, shared_with=[viewer])
    page = client_of(viewer).get("/customers/RK001/").content.decode()
    assert "Nordwerk" in page
    assert "/customers/RK001/edit/" not in page and "Log it" not in page
    assert "New customer" not in client_of(viewer).get("/customers/").content.decode()
