"""The whole story in Chromium: enquiry with a drawing → quotation → sample order S1 → PI →
shipped → paid → mass order M1 → complaint → everything about the project on one page."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tracecode.sales.tests.factories import make_customer, make_order, make_project, move

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def iso(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def click_move(page, label: str):
    page.get_by_role("button", name=label, exact=True).click()


def test_from_enquiry_to_complaint(page, sign_in, alice, tmp_path):
    customer = make_customer(
        alice,
        name="苏州精工电子有限公司",
        packaging_requirements="Anti-static bags, 100 pcs per carton",
        payment_requirements="100% T/T before shipment",
    )
    sign_in(alice)

    # The enquiry, with the customer's drawing.
    page.goto(f"/sales/projects/new/?customer={customer.code}")
    page.get_by_label("Project name").fill("SP1003")
    page.get_by_label("Customer's request").fill(
        "Die-cast housing per drawing SP1003 rev B, 20k pcs/yr"
    )
    page.get_by_label("Target quantity").fill("20000")
    page.get_by_role("button", name="Create project").click()
    project = f"{customer.code}-1"
    expect(page.get_by_role("heading", name=project)).to_be_visible()
    drawing = tmp_path / "SP1003 rev B.pdf"
    drawing.write_bytes(b"%PDF-1.4 drawing of SP1003")
    page.get_by_label("Drop files here, or choose them").set_input_files(str(drawing))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name=f"{project} Drawing {iso()}.pdf")).to_be_visible()

    # The quotation, with two quantity tiers, sent as PDF.
    page.get_by_role("link", name="New quotation").click()
    page.locator("#id_lines-0-quantity").fill("1000")
    page.locator("#id_lines-0-unit_price").fill("2.35")
    page.locator("#id_lines-1-item").fill("SP1003")
    page.locator("#id_lines-1-quantity").fill("5000")
    page.locator("#id_lines-1-unit_price").fill("2.10")
    page.get_by_role("button", name="Add a line").click()  # a row for later, left empty
    expect(page.locator("#id_lines-2-item")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{project}-Q1")).to_be_visible()
    page.get_by_role("button", name="Issue to the customer (PDF)").click()
    expect(page.get_by_text("Revision 1 ·")).to_be_visible()

    # The sample order S1, prefilled with the customer's requirements.
    page.get_by_role("link", name=project).first.click()
    page.get_by_role("link", name="New sample order").click()
    expect(page.get_by_label("Packaging requirements")).to_have_value(
        "Anti-static bags, 100 pcs per carton"
    )
    page.get_by_label("Customer's delivery date").fill(iso(30))
    page.locator("#id_lines-0-quantity").fill("200")
    page.locator("#id_lines-0-unit_price").fill("2.35")
    page.get_by_role("button", name="Enter order").click()
    s1 = f"{project}-S1"
    expect(page.get_by_role("heading", name=s1)).to_be_visible()
    expect(page.locator("#order-total")).to_have_text("USD 470.00")

    # The PI, downloaded and read.
    page.get_by_label("Document", exact=True).select_option("PI")
    page.get_by_role("button", name="Generate PDF and Excel").click()
    with page.expect_download() as download:
        page.locator("[data-document='PI-1-pdf']").click()
    assert download.value.suggested_filename.startswith(f"{s1} PI ")
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages
    )
    assert (
        "PROFORMA INVOICE" in text
        and s1 in text
        and "苏州精工电子有限公司" in text
        and "470.00" in text
    )

    # Order to cash.
    click_move(page, "Confirm order")
    expect(page.locator("#order-state")).to_have_text("confirmed")
    for _ in range(3):
        page.get_by_role("button", name="Done", exact=True).first.click()
    click_move(page, "Start production")
    expect(page.locator("#order-state")).to_have_text("in production")
    click_move(page, "Ready to ship")
    page.get_by_label("Carrier").fill("SF Express")
    page.get_by_label("B/L or tracking no.").fill("SF1403928475")
    page.locator("#id_ship-etd").fill(iso(0))
    page.locator("#id_ship-eta").fill(iso(3))
    click_move(page, "Ship")
    expect(page.locator("#order-state")).to_have_text("shipped")
    click_move(page, "Confirm arrival with the customer")
    click_move(page, "Reconcile")
    page.get_by_role("form", name="Record a payment").get_by_label("Amount").fill("470.00")
    page.get_by_label("Bank reference").fill("TT 2026-1122-0815")
    page.get_by_role("button", name="Record payment (USD)").click()
    expect(page.locator("#order-state")).to_have_text("paid")
    expect(page.locator("#order-balance")).to_have_text("USD 0.00")
    expect(page.locator("#timeline")).to_contain_text("Payment received: USD 470.00")

    # The mass order M1.
    page.goto(f"/sales/projects/{project}/orders/new/mass/")
    page.get_by_label("Customer's delivery date").fill(iso(60))
    page.locator("#id_lines-0-quantity").fill("20000")
    page.locator("#id_lines-0-unit_price").fill("2.10")
    page.get_by_role("button", name="Enter order").click()
    expect(page.get_by_role("heading", name=f"{project}-M1")).to_be_visible()

    # A complaint about the sample order carries its number.
    page.goto(f"/sales/orders/{s1}/")
    page.get_by_role("link", name="Record a complaint").click()
    page.get_by_label("What the customer reports").fill(
        "3 of 200 housings show porosity on the sealing face"
    )
    page.get_by_role("button", name="Save complaint").click()
    expect(page.get_by_role("heading", name=f"Complaint {s1}")).to_be_visible()

    # Everything about the project, reached from its code.
    page.goto(f"/sales/projects/{project}/")
    page.get_by_role("link", name=f"Everything about {project}").click()
    tree = page.locator(".everything")
    for text in [
        "SP1003 rev B.pdf",
        f"{project}-Q1",
        s1,
        f"{project}-M1",
        "paid",
        "USD 470.00",
        "complaint",
    ]:
        expect(tree).to_contain_text(text)
    expect(tree.get_by_text(f"PI {s1} v1")).to_be_visible()


def test_an_order_moves_on_in_chinese(page, sign_in, alice):
    order = make_order(make_project(make_customer(alice, name="Lyon Précision Médicale SARL")))
    move(order, "confirm")
    sign_in(alice)
    page.goto(f"/sales/orders/{order.code}/")
    page.locator("button[lang='zh-hans']").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("form[action$='/move/cancel/'] input[name='cancel-cancel_reason']").fill(
        "客户取消项目"
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/move/cancel/'] button[type='submit']").click()
    expect(page.locator("#order-state")).to_have_class(re.compile(r"\btext-bg-danger\b"))
    order.refresh_from_db()
    assert order.state == "cancelled" and order.cancel_reason == "客户取消项目"
