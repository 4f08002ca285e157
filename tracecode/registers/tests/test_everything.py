"""Every register is a coded kind: its code finds every quotation, order, BOM and lot that uses
it, from the header box and on its Everything page, as far as the user may see them."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tracecode.codes import registry
from tracecode.files import services as files
from tracecode.sales import services as sales
from tracecode.sales.tests.factories import make_customer, make_order, make_project
from tracecode.search.services import search

from .factories import make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def hits(user, query) -> list[tuple[str, str]]:
    return [(hit.kind, hit.code) for group in search(user, query).groups for hit in group.hits]


def processing_order(owner, name, material, supplier=None):
    project = make_project(make_customer(owner, name), name="PCBA-7731")
    order = make_order(project, "processing", currency="CNY")
    sales.save_bom(order, [{"part_number": "STIFF-7731", "material": material,
                            "quantity_per_unit": Decimal("0.004"), "unit": "m2",
                            "supplied_by": "factory", "supplier": supplier}])  # fmt: skip
    return order


def test_a_material_code_finds_the_processing_orders_that_used_it(alice, bob, manager):
    base = make_material("01.01", "CPIDE131218DA1")
    taiflex = make_supplier("Dongguan Taiflex", materials=[base])
    mine = processing_order(alice, "苏州精工电子有限公司", base, taiflex)
    theirs = processing_order(bob, "Pacific Aero Components Inc.", base)
    assert ("material", "01.01.00001") in hits(manager, "01.01.00001")
    assert ("supplier", taiflex.code) in hits(manager, "01.01.00001")  # supplies it
    assert {("order", mine.code), ("order", theirs.code)} <= set(hits(manager, "01.01.00001"))
    # Materials and suppliers are staff-wide; the orders stay with their customers' users.
    assert ("order", theirs.code) not in hits(alice, "01.01.00001")
    assert ("order", mine.code) not in hits(bob, "01.01.00001")
    assert ("material", "01.01.00001") in hits(bob, "01.01.00001")
    assert ("order", mine.code) in hits(manager, taiflex.code)


def test_the_everything_page_of_a_material_lists_only_what_the_user_may_see(alice, bob, client_of):
    base = make_material("01.01", "CPIDE131218DA1")
    mine = processing_order(alice, "苏州精工电子有限公司", base)
    theirs = processing_order(bob, "Pacific Aero Components Inc.", base)
    page = client_of(alice).get("/everything/01.01.00001/").content.decode()
    assert "BOM lines" in page and mine.code in page and theirs.code not in page
    assert "Raw material: adhesive base material - CPIDE131218DA1" in page
    body = client_of(bob).get("/api/everything/01.01.00001").json()
    groups = {g["kind"]: g for g in body["record"]["groups"]}
    assert [item["code"] for item in groups["material_bom"]["items"]] == [theirs.code]


def test_the_material_page_lists_where_it_is_used(alice, client_of):
    base = make_material("01.01", "CPIDE131218DA1")
    order = processing_order(alice, "苏州精工电子有限公司", base)
    page = client_of(alice).get(base.get_absolute_url()).content.decode()
    assert "BOM lines" in page and order.code in page


def test_a_part_is_found_by_its_code_and_number_by_who_sees_its_customer(alice, bob, manager):
    part = make_part(make_customer(alice), "SP1003", "MB-200 manifold block")
    assert ("part", part.code) in hits(alice, part.code)
    assert ("part", part.code) in hits(alice, "SP1003")
    assert ("part", part.code) in hits(alice, "manifold")
    assert hits(bob, part.code) == [] and hits(bob, "SP1003") == []
    assert ("part", part.code) in hits(manager, part.customer.code)  # under its customer


def test_a_part_code_finds_the_quotations_and_orders_that_name_it(alice):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    project = make_project(customer, name="SP1003")
    order = make_order(project, lines=[{"part_number": "SP1003", "quantity": Decimal(50),
                                        "unit": "pcs", "unit_price": Decimal("2.45")}])  # fmt: skip
    found = hits(alice, part.code)
    assert ("project", project.code) in found and ("order", order.code) in found


def test_the_everything_page_of_a_part_shows_its_customer_projects_and_lines(alice, client_of):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    project = make_project(customer, name="SP1003")
    order = make_order(project, lines=[{"part_number": "SP1003", "quantity": Decimal(50),
                                        "unit": "pcs", "unit_price": Decimal("2.45")}])  # fmt: skip
    body = client_of(alice).get(f"/api/everything/{part.code}").json()
    assert [above["code"] for above in body["above"]] == [customer.code]
    groups = {g["kind"]: g for g in body["record"]["groups"]}
    assert [i["code"] for i in groups["part_project"]["items"]] == [project.code]
    assert [i["code"] for i in groups["part_order"]["items"]] == [order.code]
    assert "USD 2.45" in groups["part_order"]["items"][0]["title"]
    page = client_of(alice).get(f"/everything/{customer.code}/").content.decode()
    assert "Parts" in page and part.code in page


def test_a_drawing_of_a_part_is_filed_in_the_customers_folder(alice, client_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = make_customer(alice)
    part = make_part(customer, "SP1003", "MB-200 manifold block")
    upload = SimpleUploadedFile("MB-200 rev A.pdf", PDF, content_type="application/pdf")
    stored = files.store(part, upload, user=alice, document_type="Drawing")
    assert stored.file.name.startswith(
        f"{customer.code} Nordwerk Automotive GmbH/{part.code} SP1003 MB-200 manifold block/"
        f"Drawing/{part.code} Drawing "
    )
    archive = client_of(alice).get(f"/files/of/{customer.code}/zip/")
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert any(f"/{part.code} SP1003 MB-200 manifold block/Drawing/" in n for n in names)
    page = client_of(alice).get(part.get_absolute_url()).content.decode()
    assert "MB-200 rev A.pdf" in page


def test_files_are_not_filed_under_a_material(keeper, client_of):
    material = make_material()
    upload = SimpleUploadedFile("datasheet.pdf", PDF, content_type="application/pdf")
    answer = client_of(keeper).post(f"/api/files/of/{material.code}", {"file": upload})
    assert answer.status_code == 404  # no customer's folder to file it in
    assert not files.StoredFile.objects.exists()


def test_the_registry_knows_the_registers(alice):
    part = make_part(make_customer(alice))
    material = make_material()
    assert registry.find(part.code).kind.name == "part"
    assert registry.find(material.code).kind.name == "material"
    assert registry.customer_of(part.code) == part.customer
    assert registry.customer_of(material.code) is None
    assert registry.lineage(part) == [part.customer.code]
    assert registry.visible_codes(alice, [material.code, part.code]) == {
        material.code,
        part.code,
    }
