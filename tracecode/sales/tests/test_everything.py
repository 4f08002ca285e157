"""Everything about one number: the tree below a customer, project or order code."""

import pytest

from tracecode.sales import services

from .factories import make_customer, make_order, make_project, order_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tree(alice):
    customer = make_customer(alice, name="Pacific Aero Components Inc.")
    first = make_project(customer, name="SP1003")
    second = make_project(customer, name="BRKT-77")
    sample = order_in("arrived", first)
    services.record_payment(sample, user=alice, values={"amount": "1000"})
    document = services.generate_document(sample, "PI", user=alice)
    complaint = services.open_complaint(
        sample, user=alice, values={"content": "Burrs on edge", "severity": "minor"}
    )
    mass = make_order(first, "mass")
    other = make_order(second)
    return customer, first, second, sample, mass, other, document, complaint


def test_a_customer_code_shows_every_project_order_and_document(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    html = client_of(alice).get(f"/sales/everything/{customer.code}/").content.decode()
    for text in [
        first.code,
        "(SP1003)",
        second.code,
        sample.code,
        mass.code,
        other.code,
        complaint.number,
        "USD 1,000.00",
    ]:
        assert text in html, text
    assert f"/sales/documents/{document.pk}/pdf/" in html


def test_an_order_code_shows_only_that_order(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    html = client_of(alice).get(f"/sales/everything/{sample.code}/").content.decode()
    assert sample.code in html and customer.code in html and first.code in html
    assert mass.code not in html and second.code not in html


def test_a_complaint_number_opens_its_order(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    services.open_complaint(
        sample, user=alice, values={"content": "More burrs", "severity": "minor"}
    )
    response = client_of(alice).get(f"/sales/everything/{sample.code}-2/")
    assert response.status_code == 200 and sample.code in response.content.decode()


def test_the_api_gives_the_tree(client, alice, tree, token_of):
    customer, first, second, sample, mass, other, document, complaint = tree
    body = client.get(
        f"/api/sales/everything/{first.code}", headers={"Authorization": token_of(alice)}
    ).json()
    assert body["found_as"] == "project" and [p["code"] for p in body["projects"]] == [first.code]
    orders = body["projects"][0]["orders"]
    assert [o["code"] for o in orders] == [sample.code, mass.code]
    assert orders[0]["documents"][0]["number"] == sample.code
    assert orders[0]["complaints"][0]["number"] == sample.code and orders[0]["balance"] == "1350.00"


def test_an_unknown_code_is_404(client_of, alice, db):
    assert client_of(alice).get("/sales/everything/RK404-1/").status_code == 404
