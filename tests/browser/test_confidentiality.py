import pytest
from playwright.sync_api import expect

from tracecode.customers.tests.factories import make_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bob_cannot_open_alices_customer(page, sign_in, alice, bob):
    customer = make_customer(alice, name="Lyon Précision Médicale SARL")
    sign_in(bob)
    response = page.goto(f"/customers/{customer.code}/")
    assert response.status == 404
    page.goto("/customers/")
    expect(page.get_by_text(customer.code)).to_have_count(0)


def test_alice_opens_her_customer(page, sign_in, alice):
    customer = make_customer(alice, name="Lyon Précision Médicale SARL")
    sign_in(alice)
    page.goto("/customers/")
    page.get_by_role("link", name=customer.code).click()
    expect(page.get_by_role("heading", name=customer.code)).to_be_visible()
