"""Nothing the app answers is kept by a browser or a proxy cache; the static files are.

A shared office computer's back button or disk cache must not show the next person a new
API token or a customer's sheet.
"""

import pytest

from tracecode.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def never_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_the_page_showing_a_new_token_is_never_stored(client_of, alice):
    response = client_of(alice).post("/accounts/tokens/", {"name": "ERP sync"})
    assert "tc_" in response.content.decode()
    assert never_stored(response)


def test_customer_pages_are_never_stored(client_of, alice):
    customer = make_customer(alice)
    client = client_of(alice)
    for url in ["/", "/customers/", f"/customers/{customer.code}/", "/search/?q=RK"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert never_stored(response), url


def test_api_answers_are_never_stored(client, alice, token_of):
    customer = make_customer(alice)
    response = client.get(
        f"/api/customers/{customer.code}", headers={"Authorization": token_of(alice)}
    )
    assert response.status_code == 200 and never_stored(response)


def test_an_export_is_never_stored(client_of, alice):
    make_customer(alice)
    response = client_of(alice).get("/imports/customers/export.csv")
    assert response.status_code == 200 and never_stored(response)


def test_static_files_stay_cacheable(client):
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
