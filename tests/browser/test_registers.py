"""The registers in Chromium: a material refused for the wrong class, then coded; a quotation
for a known part that shows what the customer paid last time; a typed new part registered
from the quotation; a material code typed in the header box."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tracecode.registers.tests.factories import (
    keeper_of_registers,
    make_material,
    make_part,
    make_supplier,
)
from tracecode.sales import services as sales
from tracecode.sales.tests.factories import make_customer, make_order, make_project, move

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_a_material_of_the_wrong_class_is_refused_then_coded(page, sign_in, alice):
    keeper = keeper_of_registers(alice)
    sign_in(keeper)
    page.get_by_role("link", name="Registers").click()
    page.get_by_role("link", name="Materials").click()
    page.get_by_role("link", name="New material").click()
    page.get_by_label("Class", exact=True).select_option("01")
    page.locator("#id_subclass").select_option("02.01")
    page.locator("#id_name").fill("RC0402JR-07910K")
    page.locator("#id_unit").select_option("pcs")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("does not belong to class 01 (Raw material)")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("RC0402JR-07910K")

    page.get_by_label("Class", exact=True).select_option("02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="02.01.00001")).to_be_visible()
    expect(page.get_by_text("Electronic components: resistors - RC0402JR-07910K")).to_be_visible()


def test_a_quotation_for_a_known_part_shows_what_the_customer_paid(page, sign_in, alice):
    customer = make_customer(alice, "Nordwerk Automotive GmbH")
    housing = make_part(customer, "SP1003", "EV wallbox housing", category="02", part_type="01")
    make_part(customer, "SP1004", "Housing gasket", category="05", part_type="06")
    project = make_project(customer, name="SP1003")
    order = make_order(
        project,
        "mass",
        currency="EUR",
        lines=[{"part_number": "SP1003", "quantity": Decimal(5000), "unit": "pcs",
                "unit_price": Decimal("2.25")}],
    )  # fmt: skip
    move(order, "confirm")
    gasket_project = make_project(customer, name="SP1004")
    gasket = make_order(
        gasket_project,
        currency="EUR",
        lines=[{"part_number": "SP1004", "quantity": Decimal(2000), "unit": "pcs",
                "unit_price": Decimal("0.85")}],
    )  # fmt: skip
    move(gasket, "confirm")
    sign_in(alice)

    page.goto(project.get_absolute_url())
    expect(page.get_by_role("link", name=housing.code)).to_be_visible()
    page.get_by_role("link", name="New quotation").click()
    # The click returns once the new page starts loading; htmx (a deferred script) binds the
    # lines' pickers only later, so wait for the page's "load" before picking.
    page.wait_for_url("**/quotations/new/", wait_until="load")
    offer = page.get_by_test_id("price-offer")
    expect(offer).to_contain_text("Paid last time:")
    expect(offer).to_contain_text("EUR 2.25")
    expect(offer).to_contain_text(order.code)
    expect(page.locator("#id_lines-0-part")).to_have_value(housing.code)

    # Picking another part in a line shows that part's prices (htmx).
    page.locator("#id_lines-1-part").select_option(label="SP1004 · Housing gasket (05-06-001)")
    expect(offer).to_contain_text("Prices of SP1004")
    expect(offer).to_contain_text("EUR 0.85")
    page.locator("#id_lines-0-quantity").fill("5000")
    page.locator("#id_lines-0-unit_price").fill("2.20")
    page.locator("#id_lines-1-quantity").fill("2000")
    page.locator("#id_lines-1-unit_price").fill("0.82")
    page.get_by_role("button", name="Add a line").click()
    page.locator("#id_lines-2-item").fill("SP9001")
    page.locator("#id_lines-2-quantity").fill("100")
    page.locator("#id_lines-2-unit_price").fill("3.10")
    page.get_by_role("button", name="Save").click()
    quotation = f"{project.code}-Q1"
    expect(page.get_by_role("heading", name=quotation)).to_be_visible()
    expect(page.get_by_role("link", name="05-06-001")).to_be_visible()

    # SP9001 is typed, not registered: the quotation offers to register it, and comes back.
    page.get_by_role("link", name="Register as a part").click()
    expect(page.get_by_label("Customer's part number")).to_have_value("SP9001")
    page.locator("#id_name").fill("Cable gland bracket")
    page.locator("#id_category").select_option("03")
    page.locator("#id_part_type").select_option("02")
    page.get_by_label("HS code").fill("7326.90.98")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/sales/quotations/{quotation}/$"))
    expect(page.get_by_text("03-02-001 saved.")).to_be_visible()

    page.get_by_role("link", name="Registers").click()
    page.get_by_role("link", name="03-02-001").click()
    expect(page.get_by_text("7326.90.98")).to_be_visible()


def test_a_part_picked_before_htmx_is_ready_still_shows_its_prices(page, sign_in, alice):
    """htmx is a deferred script: a line's part can be picked before it binds the drop-down.
    Held back here until the part is picked, the line asks for its prices once htmx is
    ready (app.js)."""
    customer = make_customer(alice, "Nordwerk Automotive GmbH")
    make_part(customer, "SP1003", "EV wallbox housing", category="02", part_type="01")
    make_part(customer, "SP1004", "Housing gasket", category="05", part_type="06")
    project = make_project(customer, name="SP1003")
    sign_in(alice)
    held = []
    page.route("**/htmx.min*.js", lambda route: held.append(route))
    page.goto(reverse("sales:quotation_create", args=[project.code]), wait_until="commit")
    page.locator("#id_lines-1-part").select_option(label="SP1004 · Housing gasket (05-06-001)")
    while not held:
        page.wait_for_timeout(50)
    assert not page.evaluate("!!window.htmx")
    held[0].continue_()
    expect(page.get_by_test_id("price-offer")).to_contain_text("Prices of SP1004")


def test_a_material_code_typed_in_the_header_box_finds_the_orders_that_used_it(
    page, sign_in, alice, manager
):
    base = make_material("01.01", "CPIDE131218DA1")
    taiflex = make_supplier("Dongguan Taiflex", materials=[base])
    project = make_project(make_customer(alice, "苏州精工电子有限公司"), name="PCBA-7731")
    order = make_order(project, "processing", currency="CNY")
    sales.save_bom(order, [{"part_number": "STIFF-7731", "material": base,
                            "quantity_per_unit": Decimal("0.004"), "unit": "m2",
                            "supplied_by": "factory", "supplier": taiflex}])  # fmt: skip
    sign_in(manager)
    box = page.get_by_role("combobox", name="Search")
    box.fill("01.01.00001")
    menu = page.locator("#search-suggestions")
    # As one types: the first search of a fresh server may take a while on a busy machine.
    expect(menu).to_contain_text(
        "Raw material: adhesive base material - CPIDE131218DA1", timeout=20_000
    )
    expect(menu).to_contain_text(order.code)
    menu.get_by_role("option", name=re.compile("CPIDE131218DA1")).first.click()
    expect(page.get_by_role("heading", name="01.01.00001")).to_be_visible()
    expect(page.get_by_role("link", name=order.code)).to_be_visible()
    page.get_by_role("link", name="Everything about 01.01.00001").click()
    expect(page.get_by_text("BOM lines")).to_be_visible()
    expect(page.get_by_test_id("everything")).to_contain_text(order.code)
    page.goto(taiflex.get_absolute_url())  # the supplier it was bought from
    expect(page.get_by_text("BOM lines bought from it")).to_be_visible()
    expect(page.get_by_role("link", name=order.code)).to_be_visible()
