"""The printed customer sheet shows the customer and its files, not the controls to upload."""

import pytest
from playwright.sync_api import expect

from tracecode.customers.tests.factories import new_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language, upload", [("en", "Upload files"), ("zh-hans", "上传文件")])
def test_the_printed_sheet_has_no_upload_widget(alice, sign_in, language, upload):
    customer = new_customer(alice, "Lyon Précision Médicale SARL", country="FR")
    page = sign_in(alice)
    page.goto(customer.get_absolute_url())
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
    widget = page.get_by_role("form", name=upload)
    expect(widget).to_be_visible()
    page.emulate_media(media="print")
    expect(widget).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text(customer.code)
