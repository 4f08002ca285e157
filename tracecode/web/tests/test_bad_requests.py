"""Addresses no view can answer: a NUL character in a path or a parameter is refused before
any database lookup (PostgreSQL refuses such text outright), as a page or as the API says."""

import pytest

from tracecode.customers.tests.factories import new_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/customers/RK001%00/", "/sales/orders/RK001-1-S1%00/", "/mail/timeline/RK%00/"]
)
def test_a_page_with_a_nul_in_its_path_is_a_400_page(client_of, alice, path):
    new_customer(alice)
    response = client_of(alice).get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "null character" in page and "Bad request" in page
    assert response["Content-Security-Policy"]  # still the app's headers


@pytest.mark.parametrize(
    "path", ["/api/customers/RK001%00", "/api/sales/projects/RK%00-1", "/api/codes/explain/RK%00"]
)
def test_the_api_names_the_path(client, alice, token_of, path):
    response = client.get(path, headers={"Authorization": token_of(alice)})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"path": ["Null characters are not allowed."]}


def test_the_api_names_the_parameter(client, alice, token_of):
    response = client.get(
        "/api/sales/orders", {"customer": "RK\x00"}, headers={"Authorization": token_of(alice)}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"customer": ["Null characters are not allowed."]}


def test_a_list_filter_with_one_is_refused_too(client_of, alice):
    response = client_of(alice).get("/mail/", {"code": "RK\x00001"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/mail/not-a-number", "/api/no-such-thing", "/api/sales/x/y/z"]
)
def test_an_api_address_nothing_answers_is_a_404_in_the_error_shape(client, alice, token_of, path):
    response = client.get(path, headers={"Authorization": token_of(alice)})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }


def test_a_page_nothing_answers_is_still_a_page(client_of, alice):
    response = client_of(alice).get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
