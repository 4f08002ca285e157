"""What a person does first: sign in, read the app in Chinese, sign out."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_signs_in_switches_to_chinese_and_signs_out(page, sign_in, alice):
    sign_in(alice)
    expect(page.get_by_role("heading", name="Welcome, Alice")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Customers")).to_be_visible()

    page.get_by_role("button", name="简体中文").click()
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="客户")).to_be_visible()
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.get_by_role("button", name="Alice").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_a_wrong_password_shows_the_error_and_keeps_the_user_name(page, sign_in, alice):
    sign_in(alice, password="not-her-password")
    expect(page.get_by_role("alert")).to_contain_text("The user name or password is not correct.")
    expect(page.get_by_label("Username")).to_have_value("alice")


def test_the_navigation_folds_into_a_menu_on_a_phone(page, sign_in, alice):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(alice)
    customers = page.get_by_role("link", name="Customers")
    expect(customers).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(customers).to_be_visible()


@pytest.mark.parametrize("width", [1200, 1280, 1400, 1600])
def test_the_navigation_never_runs_off_a_desktop_screen(page, sign_in, manager, width):
    """English labels are long: where they do not fit in one row they wrap, and every link,
    the search box and the user menu stay on the screen."""
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(manager)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for name in ("Reports", "Leads", "Customers"):
        box = page.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
    menu = page.locator("#user-menu").bounding_box()
    assert menu["x"] + menu["width"] <= width


def test_an_administrator_signs_in_to_the_admin_on_the_apps_page(page, administrator):
    page.goto("/admin/accounts/user/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/admin/accounts/user/"))
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/accounts/user/$"))
    expect(page.get_by_role("heading", name="Select user to change")).to_be_visible()


def test_the_lockout_message_after_repeated_failures(page, sign_in, alice, settings):
    settings.SIGN_IN_FAILURES_ALLOWED = 2
    sign_in(alice, password="first-guess")
    sign_in(alice, password="second-guess")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    sign_in(alice)
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
