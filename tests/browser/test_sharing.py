"""Alice shares her customer with a colleague on the *Owner and sharing* page: she ticks Bob,
found by his name, and saves; the checkboxes are not under the Save button."""

import pytest
from playwright.sync_api import expect

from tracecode.customers.tests.factories import make_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_ticks_a_colleague_and_saves(alice, bob, sign_in):
    alice.last_name, bob.last_name = "Archer", "Brown"
    alice.save()
    bob.save()
    customer = make_customer(alice)
    page = sign_in(alice)
    page.goto(f"/customers/{customer.code}/sharing/")
    expect(page.get_by_label("owner")).to_contain_text("Alice Archer")
    page.get_by_label("Bob Brown").check()  # fails when something lies over the box
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"/customers/{customer.code}/")
    assert list(customer.shared_with.all()) == [bob]


def test_the_sharing_page_in_chinese_names_people(alice, bob, sign_in):
    bob.last_name = "Brown"
    bob.save()
    customer = make_customer(alice)
    page = sign_in(alice)
    page.goto(f"/customers/{customer.code}/sharing/")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_label("Bob Brown").check()
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(f"/customers/{customer.code}/")
    assert list(customer.shared_with.all()) == [bob]
