"""The register pages: lists, forms that show what is wrong and keep what was typed, pages."""

import pytest

from tracecode.registers.models import Material, Part, Supplier
from tracecode.sales.tests.factories import make_customer

from .factories import make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db


def test_the_lists_show_each_register(alice, client_of):
    make_part(make_customer(alice), "SP1003", "MB-200 manifold block")
    material = make_material()
    supplier = make_supplier("Dongguan Taiflex", materials=[material])
    client = client_of(alice)
    assert "MB-200 manifold block" in client.get("/registers/parts/").content.decode()
    page = client.get("/registers/materials/").content.decode()
    assert "Raw material: adhesive base material - CPIDE131218DA1" in page
    assert supplier.code in client.get("/registers/suppliers/").content.decode()


def test_the_lists_read_in_chinese(alice, client_of):
    make_material()
    client = client_of(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/registers/materials/").content.decode()
    assert "原材料-有胶基材 - CPIDE131218DA1" in page
    assert "物料" in page


def test_a_material_of_the_wrong_class_is_shown_and_what_was_typed_kept(keeper, client_of):
    form = {"material_class": "01", "subclass": "02.01", "name": "RC0402JR-07910K", "unit": "pcs"}
    page = client_of(keeper).post("/registers/materials/new/", form)
    html = page.content.decode()
    assert page.status_code == 200
    assert "does not belong to class 01 (Raw material)." in html
    assert 'value="RC0402JR-07910K"' in html
    assert not Material.objects.exists()
    form["material_class"] = "02"
    page = client_of(keeper).post("/registers/materials/new/", form)
    assert page.status_code == 302
    assert page["Location"] == "/registers/materials/02.01.00001/"


def test_a_part_is_edited_and_its_code_values_stay(alice, client_of):
    part = make_part(make_customer(alice))
    form = {"version": 1, "customer_part_number": "SP1003", "name": "Manifold block",
            "category": "02", "part_type": "01", "unit": "pcs", "hs_code": "8481.90.00",
            "active": "on"}  # fmt: skip
    answer = client_of(alice).post(f"/registers/parts/{part.code}/edit/", form)
    assert answer.status_code == 302
    part.refresh_from_db()
    assert (part.name, part.category, part.part_type, part.hs_code) == (
        "Manifold block", "01", "04", "84819000"
    )  # fmt: skip


def test_a_stale_edit_shows_what_the_other_person_saved(alice, client_of):
    part = make_part(make_customer(alice))
    first = {"version": 1, "customer_part_number": "SP1003", "name": "By Alice",
             "unit": "pcs", "active": "on"}  # fmt: skip
    client_of(alice).post(f"/registers/parts/{part.code}/edit/", first)
    page = client_of(alice).post(
        f"/registers/parts/{part.code}/edit/", {**first, "name": "Second try"}
    )
    html = page.content.decode()
    assert "Not saved: someone else saved this record after you opened it." in html
    assert "By Alice" in html and 'value="Second try"' in html


def test_a_supplier_is_created_with_its_contacts(keeper, client_of):
    material = make_material()
    form = {"name": "Dongguan Taiflex", "country": "CN", "region": "441900",
            "materials": [material.code], "subclasses": ["01.01"],
            "contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Liu Wei", "contacts-0-email": "liu.wei@taiflex.example",
            "contacts-1-name": ""}  # fmt: skip
    answer = client_of(keeper).post("/registers/suppliers/new/", form)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    supplier = Supplier.objects.get()
    assert supplier.code == "S4419000001"
    assert [c.name for c in supplier.contacts.all()] == ["Liu Wei"]
    page = client_of(keeper).get(supplier.get_absolute_url()).content.decode()
    assert "Liu Wei" in page and material.code in page and "new record" in page


def test_the_new_part_form_goes_back_where_it_was_asked_from(alice, client_of):
    customer = make_customer(alice)
    form = {"customer": customer.code, "customer_part_number": "SP9001", "name": "Bracket",
            "category": "03", "part_type": "02", "unit": "pcs",
            "next": "/sales/quotations/RK001-1-Q1/"}  # fmt: skip
    answer = client_of(alice).post("/registers/parts/new/", form)
    assert answer["Location"] == "/sales/quotations/RK001-1-Q1/"
    assert Part.objects.get().code == "03-02-001"
    form["customer_part_number"], form["next"] = "SP9002", "https://evil.example/"
    answer = client_of(alice).post("/registers/parts/new/", form)
    assert answer["Location"] == Part.objects.get(customer_part_number="SP9002").get_absolute_url()


def test_an_administrator_adds_a_subclass_on_the_classes_page(administrator, alice, client_of):
    make_material()
    form = {"material_class": "01", "number": "08", "label": "Raw material: copper foil",
            "label_zh": "原材料-铜箔"}  # fmt: skip
    assert client_of(alice).post("/registers/materials/classes/", form).status_code == 403
    answer = client_of(administrator).post("/registers/materials/classes/", form, follow=True)
    html = answer.content.decode()
    assert "Subclass 01.08 added." in html and "Raw material: copper foil" in html
    answer = client_of(administrator).post("/registers/materials/classes/", form, follow=True)
    assert "01.08 is already Raw material: copper foil." in answer.content.decode()


def test_the_navigation_leads_to_the_registers(alice, client_of):
    assert 'href="/registers/"' in client_of(alice).get("/").content.decode()
    assert client_of(alice).get("/registers/").url == "/registers/parts/"
