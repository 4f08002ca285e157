"""Quotations, orders, projects, BOMs and lots name register records instead of free text;
typing a new part stays possible and the page offers to register it."""

from decimal import Decimal

import pytest

from tracecode.sales import services as sales
from tracecode.sales.models import BomLine, MaterialLot, OrderLine, Project, QuotationLine
from tracecode.sales.tests.factories import days, make_customer, make_order, make_project, move

from .factories import make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db


def post(client, path, body, method="post"):
    return getattr(client, method)(path, body, content_type="application/json")


QUOTE = {"quantity": "1000", "unit_price": "2.35"}


def test_a_quotation_line_picks_a_part_and_takes_its_number(alice, client_of):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003", "MB-200 manifold block")
    project = make_project(customer, name="SP1003 enquiry")
    answer = post(
        client_of(alice),
        "/api/sales/quotations",
        {"project": project.code, "lines": [{"part": part.code, **QUOTE}]},
    )
    assert answer.status_code == 201, answer.content
    line = answer.json()["lines"][0]
    assert (line["part"], line["item"], line["specification"]) == (
        part.code,
        "SP1003",
        "MB-200 manifold block",
    )


def test_a_typed_registered_part_number_is_linked(alice, client_of):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    project = make_project(customer)
    post(client_of(alice), "/api/sales/quotations",
         {"project": project.code, "lines": [{"item": "sp1003", **QUOTE}]})  # fmt: skip
    assert QuotationLine.objects.get().part == part


def test_a_new_part_stays_text_and_its_page_offers_to_register_it(alice, client_of):
    customer = make_customer(alice)
    project = make_project(customer, name="SP9001")
    answer = post(client_of(alice), "/api/sales/quotations",
                  {"project": project.code, "lines": [{"item": "SP9001", **QUOTE}]})  # fmt: skip
    code = answer.json()["code"]
    assert answer.json()["lines"][0]["part"] is None
    page = client_of(alice).get(f"/sales/quotations/{code}/").content.decode()
    assert "Register as a part" in page
    assert f"customer={customer.code}&amp;number=SP9001" in page
    form = client_of(alice).get(f"/registers/parts/new/?customer={customer.code}&number=SP9001")
    assert 'value="SP9001"' in form.content.decode()


def test_a_part_of_another_customer_is_refused_on_a_line(alice, client_of):
    mine = make_customer(alice)
    theirs = make_customer(alice, "Pacific Aero")
    other = make_part(theirs, "BRKT-77")
    project = make_project(mine)
    answer = post(client_of(alice), "/api/sales/quotations",
                  {"project": project.code, "lines": [{"part": other.code, **QUOTE}]})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "lines.0.part": [f"No part {other.code} of this customer in the register."]
    }
    assert not QuotationLine.objects.exists()


def test_a_line_needs_an_item_or_a_part(alice, client_of):
    project = make_project(make_customer(alice))
    answer = post(client_of(alice), "/api/sales/quotations",
                  {"project": project.code, "lines": [QUOTE]})  # fmt: skip
    assert answer.json()["error"]["fields"] == {
        "lines.0.item": ["Name the item or pick a registered part."]
    }


def test_an_order_line_picks_a_part(alice, client_of):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    project = make_project(customer)
    answer = post(
        client_of(alice),
        "/api/sales/orders",
        {"project": project.code, "kind": "sample", "delivery_date": str(days(30)),
         "lines": [{"part": part.code, "quantity": "50", "unit_price": "2.45"}]},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["lines"][0]["part_number"] == "SP1003"
    assert OrderLine.objects.get().part == part


def test_a_project_names_its_part(alice, client_of):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    answer = post(client_of(alice), "/api/sales/projects",
                  {"customer": customer.code, "part": part.code})  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert (answer.json()["name"], answer.json()["part"]) == ("SP1003", part.code)


def test_a_project_named_as_a_registered_part_is_linked_to_it(alice):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    assert make_project(customer, name="SP1003").part == part


def test_a_project_cannot_name_another_customers_part(alice, client_of):
    customer = make_customer(alice)
    other = make_part(make_customer(alice, "Pacific Aero"), "BRKT-77")
    answer = post(client_of(alice), "/api/sales/projects",
                  {"customer": customer.code, "part": other.code, "name": "X"})  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "part": [f"{other.code} is a part of {other.customer.code}, not of this customer."]
    }
    assert not Project.objects.exists()


def _processing_order(alice):
    customer = make_customer(alice, "苏州精工电子有限公司")
    project = make_project(customer, name="PCBA-7731")
    return make_order(project, "processing", currency="CNY")


def test_a_bom_line_names_a_material_and_where_it_is_bought(alice, client_of):
    order = _processing_order(alice)
    base = make_material("01.01", "CPIDE131218DA1")
    taiflex = make_supplier("Dongguan Taiflex", materials=[base])
    answer = post(
        client_of(alice),
        f"/api/sales/orders/{order.code}/bom",
        {"lines": [{"material": base.code, "quantity_per_unit": "0.004", "unit": "m2",
                    "supplied_by": "factory", "supplier": taiflex.code}]},
        method="put",
    )  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json() == [
        {
            "part_number": "01.01.00001",
            "material": "01.01.00001",
            "description": "CPIDE131218DA1",
            "quantity_per_unit": "0.004",
            "unit": "m2",
            "supplied_by": "factory",
            "supplier": taiflex.code,
        }
    ]


def test_a_bom_line_naming_an_unknown_material_is_refused_and_nothing_is_saved(alice, client_of):
    order = _processing_order(alice)
    ic = make_material("08.01", "IC_STM32G030K8T6")
    sales.save_bom(order, [{"part_number": "IC-STM32G0", "material": ic,
                            "quantity_per_unit": Decimal(1), "unit": "pcs"}])  # fmt: skip
    answer = post(
        client_of(alice),
        f"/api/sales/orders/{order.code}/bom",
        {"lines": [{"part_number": "IC-STM32G0", "material": ic.code, "quantity_per_unit": 1},
                   {"part_number": "PCB-7731", "material": "08.03.00099",
                    "quantity_per_unit": 1}]},
        method="put",
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "bom.1.material": ["No material 08.03.00099 in the register."]
    }
    assert list(BomLine.objects.values_list("part_number", flat=True)) == ["IC-STM32G0"]


def test_the_bom_page_says_which_material_is_unknown(alice, client_of):
    order = _processing_order(alice)
    form = {"bom-TOTAL_FORMS": "1", "bom-INITIAL_FORMS": "0", "bom-0-part_number": "PCB-7731",
            "bom-0-material": "08.03.00099", "bom-0-quantity_per_unit": "1",
            "bom-0-unit": "pcs", "bom-0-supplied_by": "customer"}  # fmt: skip
    page = client_of(alice).post(f"/sales/orders/{order.code}/bom/", form)
    assert page.status_code == 200
    assert "No material 08.03.00099 in the register." in page.content.decode()
    assert not BomLine.objects.exists()


def test_a_lot_of_customer_material_is_received_by_its_material_code(alice, client_of):
    order = _processing_order(alice)
    ic = make_material("08.01", "IC_STM32G030K8T6")
    sales.save_bom(order, [{"part_number": "IC-STM32G0", "material": ic,
                            "quantity_per_unit": Decimal(1), "unit": "pcs"}])  # fmt: skip
    for checkpoint in ("contract_review", "processing_agreement"):
        sales.tick_checkpoint(order, checkpoint, user=alice)
    order = move(order, "confirm")
    lot = {"material": ic.code, "lot_number": "ST-2545-A17", "quantity": "2000"}
    answer = post(client_of(alice), f"/api/sales/orders/{order.code}/lots", lot)
    assert answer.status_code == 201, answer.content
    assert (answer.json()["material"], answer.json()["part_number"]) == (ic.code, "IC-STM32G0")
    assert MaterialLot.objects.get().bom_line.material == ic
