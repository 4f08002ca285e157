"""A sales user's day with the customer archive, in Chromium: create a customer and get its
code, add contacts, change the main contact, log a WhatsApp conversation, plan the next step
and find it in "My follow-ups"; nobody else sees the customer but a manager; the duplicate
warning appears while typing."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in_elsewhere(browser, live_server):
    """Another person at another computer: a fresh browser context, signed in."""
    contexts = []

    def as_user(user):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        contexts.append(context)
        other = context.new_page()
        other.set_default_timeout(10_000)
        other.goto("/accounts/sign-in/")
        other.get_by_label("Username").fill(user.username)
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        expect(other.get_by_role("button", name=re.compile(user.first_name))).to_be_visible()
        return other

    yield as_user
    for context in contexts:
        context.close()


def create_customer(page, name, country, email):
    page.goto("/customers/")
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Company name").fill(name)
    page.get_by_label("Country").select_option(label=country)
    page.get_by_label("Company email").fill(email)


def add_contact(page, name, job_title):
    page.get_by_role("link", name="Add contact").click()
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_label("Job title").fill(job_title)
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{name} added")


def test_a_sales_users_day_with_a_customer(page, sign_in, sign_in_elsewhere, alice, bob, manager):
    sign_in(alice)
    create_customer(page, "Nordwerk Automotive GmbH", "Germany", "einkauf@nordwerk-automotive.de")
    page.get_by_label("Phone").fill("0711 123456")
    page.get_by_role("button", name="Create customer").click()
    expect(page.get_by_role("alert")).to_contain_text("Customer RK001 created.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("RK001 Nordwerk Automotive GmbH")
    expect(page.locator("#basic")).to_contain_text("+49 711 123456")

    add_contact(page, "Jonas Weber", "Buyer")
    add_contact(page, "Anna Schmidt", "Head of purchasing")
    contacts = page.locator("#contacts")
    expect(contacts).to_contain_text("RK001-C01")
    expect(contacts).to_contain_text("RK001-C02")
    expect(page.locator("#main-contact")).to_contain_text("Jonas Weber")

    page.get_by_role("button", name="Make Anna Schmidt the main contact").click()
    expect(page.locator("#main-contact")).to_contain_text("Anna Schmidt")
    changes = page.locator("#main-contact-changes")
    expect(changes).to_contain_text("Jonas Weber → Anna Schmidt")
    expect(changes).to_contain_text("Alice")
    expect(page.locator("#history")).to_contain_text(
        "Jonas Weber (RK001-C01) → Anna Schmidt (RK001-C02)"
    )

    log = page.get_by_role("form", name="Log a conversation")
    log.get_by_label("Channel").select_option(label="WhatsApp")
    log.get_by_label("Direction").select_option(label="From the customer")
    log.get_by_label("Contact").select_option(label="RK001-C02 Anna Schmidt")
    log.get_by_label("Summary").fill("Anna sends drawing rev. C and asks for 500 pcs samples")
    log.get_by_role("button", name="Log it").click()
    expect(page.locator("#log")).to_contain_text("Anna sends drawing rev. C")
    expect(page.locator("#log")).to_contain_text("WhatsApp")
    today = timezone.localdate().isoformat()
    expect(page.locator("#last-contact")).to_have_text(today)
    expect(page.locator("#response-status")).to_have_text("reply received")

    plan = page.get_by_role("form", name="Next step")
    plan.get_by_label("Next step", exact=True).fill("Quote the 500 samples")
    plan.get_by_label("Next step due").fill(today)
    plan.get_by_role("button", name="Save next step").click()
    expect(page.locator("#next-step")).to_contain_text("Quote the 500 samples")
    page.get_by_role("link", name="Home").click()
    follow_ups = page.locator("#follow-ups")
    expect(follow_ups).to_contain_text("RK001")
    expect(follow_ups).to_contain_text("Quote the 500 samples")
    page.get_by_role("link", name=re.compile("Quote the 500 samples")).click()
    expect(page).to_have_url(re.compile(r"/customers/RK001/#follow-up$"))

    # Bob, another sales user, finds it nowhere.
    other = sign_in_elsewhere(bob)
    expect(other.locator("#follow-ups")).not_to_contain_text("RK001")
    other.goto("/customers/")
    expect(other.get_by_text("RK001")).to_have_count(0)
    expect(other.locator("#result-count")).to_have_text("0 customers")
    other.goto("/search/?q=Nordwerk")
    expect(other.locator("main")).to_contain_text("Nothing found.")
    expect(other.get_by_text("RK001")).to_have_count(0)
    assert other.goto("/customers/RK001/").status == 404
    assert other.goto("/api/customers/RK001").status == 404

    # Mia, a manager, sees it with everything on it.
    boss = sign_in_elsewhere(manager)
    boss.goto("/customers/")
    boss.get_by_role("link", name="RK001").click()
    expect(boss.locator("#contacts")).to_contain_text("Anna Schmidt")
    expect(boss.locator("#log")).to_contain_text("Anna sends drawing rev. C")

    # A second customer from the same mail domain: the warning appears as Alice types.
    create_customer(page, "NW Automotive Stuttgart", "Germany", "qs@nordwerk-automotive.de")
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("RK001")
    expect(warning).to_contain_text("same mail domain @nordwerk-automotive.de")
    page.get_by_role("button", name="Create customer").click()
    page.get_by_role("button", name="It is a different company: create it anyway").click()
    expect(page.get_by_role("alert")).to_contain_text("Customer RK002 created.")


def test_a_bad_field_keeps_what_was_typed(page, sign_in, alice):
    sign_in(alice)
    create_customer(page, "Lyon Précision Médicale SARL", "France", "achats@lyon")
    page.get_by_label("Phone").fill("04 72")
    page.get_by_role("button", name="Create customer").click()
    expect(page.get_by_label("Company email")).to_have_value("achats@lyon")
    expect(page.locator("#id_email_errors")).to_contain_text("valid email")
    expect(page.locator("#id_phone_errors")).to_contain_text("valid phone number")
    expect(page.get_by_label("Company name")).to_have_value("Lyon Précision Médicale SARL")


def test_the_sheet_in_chinese_and_in_print(page, sign_in, alice):
    sign_in(alice)
    create_customer(page, "Osaka Kiki Seisakusho Co., Ltd.", "Japan", "info@osaka-kiki.example")
    page.get_by_role("button", name="Create customer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RK001")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#basic")).to_contain_text("日本")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_hidden()
    expect(page.locator("#history")).to_be_visible()
