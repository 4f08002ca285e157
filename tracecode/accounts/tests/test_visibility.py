"""The one permission mechanism, proved on customers in views, queries and the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.customers.models import Customer
from tracecode.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_bob_cannot_see_alices_customer(alice, bob):
    customer = make_customer(alice)
    assert customer not in Customer.objects.visible_to(bob)
    with pytest.raises(Http404):
        visible_or_404(Customer.objects, bob, code=customer.code)


def test_bob_gets_404_for_alices_customer_in_the_browser(client_of, alice, bob):
    customer = make_customer(alice)
    assert client_of(bob).get(f"/customers/{customer.code}/").status_code == 404


def test_bob_gets_404_for_alices_customer_in_the_api(client, alice, bob, token_of):
    customer = make_customer(alice)
    response = client.get(
        f"/api/customers/{customer.code}", headers={"Authorization": token_of(bob)}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_alice_sees_her_own_customer_everywhere(client_of, client, alice, token_of):
    customer = make_customer(alice)
    assert client_of(alice).get(f"/customers/{customer.code}/").status_code == 200
    api = client.get(f"/api/customers/{customer.code}", headers={"Authorization": token_of(alice)})
    assert api.json()["code"] == customer.code


def test_lists_and_search_leave_out_what_bob_may_not_see(client_of, alice, bob):
    hidden = make_customer(alice, name="Secret Motors Ltd")
    mine = make_customer(bob, name="Bob's Motors Ltd")
    client = client_of(bob)
    for url in ["/customers/", "/search/?q=Motors", "/search/suggest?q=Motors", "/"]:
        page = client.get(url).content.decode()
        assert hidden.code not in page and "Secret Motors" not in page, url
    assert mine.code in client.get("/customers/").content.decode()
    api = client.get("/api/customers/").json()
    assert [c["code"] for c in api["items"]] == [mine.code]
    assert api["count"] == 1


def test_a_shared_customer_is_visible_to_whom_it_is_shared_with(alice, bob):
    customer = make_customer(alice, shared_with=[bob])
    assert visible_or_404(Customer.objects, bob, code=customer.code) == customer
    assert list(Customer.objects.visible_to(bob)) == [customer]  # once, not once per share


def test_managers_and_administrators_see_every_customer(alice, bob, manager, administrator):
    customers = {make_customer(alice), make_customer(bob)}
    assert set(Customer.objects.visible_to(manager)) == customers
    assert set(Customer.objects.visible_to(administrator)) == customers


def test_a_viewer_sees_only_what_is_shared_and_changes_nothing(alice, viewer):
    shared = make_customer(alice, shared_with=[viewer])
    make_customer(alice)
    assert list(Customer.objects.visible_to(viewer)) == [shared]
    with pytest.raises(PermissionDenied):
        editable_or_404(Customer.objects, viewer, code=shared.code)


def test_sales_may_change_own_and_shared_customers(alice, bob):
    own = make_customer(bob)
    shared = make_customer(alice, shared_with=[bob])
    assert set(Customer.objects.editable_by(bob)) == {own, shared}


def test_an_inactive_or_anonymous_user_sees_nothing(alice):
    from django.contrib.auth.models import AnonymousUser

    make_customer(alice)
    alice.is_active = False
    assert not Customer.objects.visible_to(alice).exists()
    assert not Customer.objects.visible_to(AnonymousUser()).exists()


def ids(rows) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def test_the_visible_ids_are_the_visible_customers_for_everyone(
    alice, bob, viewer, manager, administrator
):
    """visible_ids (owned, then shared: what the search lists) gives exactly the customers
    visible_to gives, whoever asks."""
    from django.contrib.auth.models import AnonymousUser

    make_customer(alice, "Nordwerk Automotive GmbH")
    make_customer(alice, "Lyon Hydraulique SARL", shared_with=[bob, viewer])
    make_customer(bob, "Hangzhou Lianhe Trading", shared_with=[alice])
    make_customer(bob, "Osaka Seimitsu KK")
    make_customer(manager, "Porto Metalurgia Lda", shared_with=[viewer])
    for user in (alice, bob, viewer, manager, administrator, AnonymousUser()):
        assert ids(Customer.objects.visible_ids(user)) == ids(Customer.objects.visible_to(user))
    alice.is_active = False
    assert not ids(Customer.objects.visible_ids(alice))
