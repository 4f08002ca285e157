"""The header search, as a person uses it: type, look at the drop-down, pick with the keys."""

import re

import pytest
from playwright.sync_api import expect

from tracecode.search.tests.factories import entry, family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_types_a_code_and_opens_it_with_the_arrow_keys(page, sign_in, alice):
    family(alice)
    sign_in(alice)
    box = page.get_by_role("combobox", name="Search")
    box.fill("RK1038")
    menu = page.locator("#search-suggestions")
    expect(menu.get_by_role("option").first).to_contain_text("Nordwerk Automotive GmbH")
    expect(menu).to_contain_text("RK1038-1-S1")
    box.press("ArrowDown")
    expect(menu.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/customers/RK1038/$"))


def test_enter_without_a_choice_opens_the_results_page(page, sign_in, alice):
    nordwerk = family(alice)
    entry("mail", "RK1038-1", "Re: 不锈钢支架 drawing", nordwerk)
    sign_in(alice)
    box = page.get_by_label("Search", exact=True)
    box.fill("不锈钢")
    expect(page.locator("#search-suggestions")).to_contain_text("不锈钢支架")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("#group-mail mark")).to_have_text(["不锈钢"])


def test_bob_finds_nothing_of_alices_customer(page, sign_in, alice, bob):
    family(alice)
    sign_in(bob)
    box = page.get_by_label("Search", exact=True)
    box.fill("RK1038")
    menu = page.locator("#search-suggestions")
    expect(menu).to_contain_text("Nothing found")
    expect(menu).not_to_contain_text("Nordwerk")
    box.press("Enter")
    expect(page.locator("#search-empty")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Nordwerk")


def test_a_code_typed_before_htmx_is_ready_still_gets_its_suggestions(page, sign_in, alice):
    """htmx is a deferred script: a quick hand can type before it binds the box. Held back
    here until the code is typed (the box keeps the focus), the box asks for it once htmx is
    ready (app.js)."""
    family(alice)
    sign_in(alice)
    held = []
    page.route("**/htmx.min*.js", lambda route: held.append(route))
    page.goto("/", wait_until="commit")
    box = page.locator("#header-search")  # a combobox once search.js (deferred too) has run
    box.fill("RK1038")
    while not held:
        page.wait_for_timeout(50)
    assert not page.evaluate("!!window.htmx")
    held[0].continue_()
    menu = page.locator("#search-suggestions")
    expect(menu.get_by_role("option").first).to_contain_text("Nordwerk Automotive GmbH")
