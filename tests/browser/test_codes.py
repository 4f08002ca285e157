"""What an administrator and a sales user do with the coding engine in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tracecode.codes.tests.helpers import give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTATION_SCHEME = """[scheme.bj]
label = "Quotation by month"
label_zh = "月度报价"
pattern = "BJ{YYYY}{MM}{serial:4}"
"""


def test_an_administrator_previews_then_loads_a_scheme_file(page, sign_in, administrator):
    sign_in(administrator)
    page.get_by_role("button", name="Ada").click()  # the user menu holds the admin pages
    page.get_by_role("link", name="Schemes").click()
    page.get_by_role("link", name="Load a scheme file").click()
    page.get_by_label("Scheme file (TOML)").fill(QUOTATION_SCHEME.replace("serial:4", "serial:0"))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.locator("#problems")).to_contain_text("nothing was loaded")
    expect(page.get_by_role("button", name="Load these schemes")).to_have_count(0)

    page.get_by_label("Scheme file (TOML)").fill(QUOTATION_SCHEME)
    page.get_by_role("button", name="Check and preview").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(re.compile(r"BJ\d{6}0001"))
    expect(preview).to_contain_text(re.compile(r"BJ\d{6}9999"))
    page.get_by_role("button", name="Load these schemes").click()
    expect(page.get_by_role("alert")).to_contain_text("Existing codes are unchanged")
    expect(page.get_by_role("cell", name="BJ{YYYY}{MM}{serial:4}")).to_be_visible()


def test_a_sales_user_explains_a_code_in_chinese(page, sign_in, alice):
    give("project", parent=give("customer"))
    sign_in(alice)
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("button", name="Alice").click()
    page.get_by_role("link", name="解析编码").click()
    page.get_by_role("textbox").last.fill("RK001-1-S1")
    page.get_by_role("button", name="解析").click()
    explanation = page.locator("#explanation")
    expect(explanation).to_contain_text("客户 RK001；项目/询盘 1；S = 样品订单；第1个")
    page.get_by_role("textbox").last.fill("RK001-1-X1")
    page.get_by_role("button", name="解析").click()
    expect(page.locator("#explanation mark")).to_have_text("X1")


def test_the_schemes_pages_are_hidden_from_sales(page, sign_in, alice):
    sign_in(alice)
    page.get_by_role("button", name="Alice").click()
    expect(page.get_by_role("link", name="Schemes")).to_have_count(0)
    assert page.goto("/codes/schemes/").status == 404
