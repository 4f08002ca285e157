"""Labels through the API: a token prints the same sheet the page does."""

import pytest

from .helpers import decoded, page_count

pytestmark = pytest.mark.django_db


def test_a_token_gets_the_carton_labels_as_pdf(client, alice, order, token_of):
    response = client.get(
        f"/api/labels/cartons/{order.code}?size=a4", headers={"Authorization": token_of(alice)}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert page_count(response.content) == 1
    assert len(decoded(response.content)[0]) == 24  # the order's 12 cartons, QR and bars each


def test_the_sources_are_listed(client, alice, token_of):
    response = client.get("/api/labels/", headers={"Authorization": token_of(alice)})
    names = {s["name"]: s["kind"] for s in response.json()}
    assert names["cartons"] == "order" and names["file"] == "file"
    assert names["lot"] == "materiallot"


def test_bad_values_answer_422_with_the_field(client, alice, order, token_of):
    response = client.get(
        f"/api/labels/cartons/{order.code}?size=a4&count=0",
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["count"]


def test_bob_gets_404_like_for_an_unknown_code(client, bob, order, token_of):
    header = {"Authorization": token_of(bob)}
    hidden = client.get(f"/api/labels/cartons/{order.code}", headers=header)
    unknown = client.get("/api/labels/cartons/RK9999-1-M1", headers=header)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


def test_no_token_no_labels(client, order):
    assert client.get(f"/api/labels/cartons/{order.code}").status_code == 401
