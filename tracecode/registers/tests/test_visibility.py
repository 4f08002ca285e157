"""Who sees and changes the registers: parts follow their customer; materials and suppliers
are read by all staff and changed by those who keep the registers."""

import pytest

from tracecode.registers.models import Material, Part, RegisterChange
from tracecode.sales.tests.factories import make_customer

from .factories import keeper_of_registers, make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db


def test_bob_cannot_see_alices_part(alice, bob, client_of):
    part = make_part(make_customer(alice))
    assert client_of(bob).get(f"/registers/parts/{part.code}/").status_code == 404
    assert client_of(bob).get(f"/registers/parts/{part.code}/edit/").status_code == 404
    assert client_of(bob).get(f"/api/registers/parts/{part.code}").status_code == 404
    assert client_of(bob).get(f"/everything/{part.code}/").status_code == 404
    listed = client_of(bob).get("/api/registers/parts").json()
    assert listed == {"items": [], "count": 0}
    assert part.code not in client_of(bob).get("/registers/parts/").content.decode()


def test_bob_sees_the_part_of_a_customer_shared_with_him(alice, bob, client_of):
    part = make_part(make_customer(alice, shared_with=[bob]))
    assert client_of(bob).get(f"/registers/parts/{part.code}/").status_code == 200


def test_a_viewer_reads_a_shared_part_but_changes_nothing(alice, viewer, client_of):
    part = make_part(make_customer(alice, shared_with=[viewer]))
    assert client_of(viewer).get(f"/registers/parts/{part.code}/").status_code == 200
    assert client_of(viewer).get(f"/registers/parts/{part.code}/edit/").status_code == 403
    answer = client_of(viewer).patch(
        f"/api/registers/parts/{part.code}", {"version": 1, "name": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 403


def test_a_parts_history_is_seen_only_with_its_customer(alice, bob):
    part = make_part(make_customer(alice))
    assert RegisterChange.objects.visible_to(alice).filter(code=part.code).exists()
    assert not RegisterChange.objects.visible_to(bob).filter(code=part.code).exists()


def test_every_member_of_staff_reads_materials_and_suppliers(alice, bob, viewer, client_of):
    material = make_material()
    supplier = make_supplier(materials=[material])
    for user in (alice, bob, viewer):
        client = client_of(user)
        assert client.get(f"/registers/materials/{material.code}/").status_code == 200
        assert client.get(f"/registers/suppliers/{supplier.code}/").status_code == 200
        assert client.get(f"/api/registers/materials/{material.code}").status_code == 200
        assert client.get(f"/everything/{material.code}/").status_code == 200
        assert client.get(f"/everything/{supplier.code}/").status_code == 200


def test_a_signed_out_visitor_reads_nothing(client):
    material = make_material()
    assert client.get(f"/registers/materials/{material.code}/").status_code == 302
    assert client.get(f"/api/registers/materials/{material.code}").status_code == 401
    assert not Material.objects.visible_to(None).exists()


def test_only_register_keepers_change_materials_and_suppliers(alice, keeper, client_of):
    material = make_material()
    supplier = make_supplier()
    assert client_of(alice).get(f"/registers/materials/{material.code}/edit/").status_code == 403
    assert client_of(alice).get("/registers/materials/new/").status_code == 403
    assert client_of(alice).get(f"/registers/suppliers/{supplier.code}/edit/").status_code == 403
    answer = client_of(alice).post(
        "/api/registers/materials", {"subclass": "01.02", "name": "Foil"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert client_of(keeper).get(f"/registers/materials/{material.code}/edit/").status_code == 200
    answer = client_of(keeper).post(
        "/api/registers/materials", {"subclass": "01.02", "name": "Foil"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content


def test_administrators_keep_the_registers_without_being_given_the_permission(
    administrator, client_of
):
    assert client_of(administrator).get("/registers/materials/new/").status_code == 200


def test_a_viewer_with_the_permission_still_changes_nothing(viewer, client_of):
    viewer = keeper_of_registers(viewer)
    material = make_material()
    assert client_of(viewer).get(f"/registers/materials/{material.code}/edit/").status_code == 403


def test_the_administrator_grants_the_permission_on_the_users_page(administrator, client_of):
    page = client_of(administrator).get(f"/admin/accounts/user/{administrator.pk}/change/")
    assert "Can keep the registers of materials and suppliers" in page.content.decode()


def test_the_edit_button_shows_only_to_who_may_edit(alice, keeper, client_of):
    material = make_material()
    edit = f"/registers/materials/{material.code}/edit/"
    assert edit not in client_of(alice).get(material.get_absolute_url()).content.decode()
    assert edit in client_of(keeper).get(material.get_absolute_url()).content.decode()


def test_sales_users_register_parts_of_their_own_customers_only(alice, bob, client_of):
    customer = make_customer(alice)
    form = {"customer": customer.code, "customer_part_number": "SP1003", "name": "Housing",
            "category": "02", "part_type": "01", "unit": "pcs"}  # fmt: skip
    assert client_of(bob).post("/registers/parts/new/", form).status_code == 403  # none of his
    make_customer(bob, "Pacific Aero Components Inc.")
    answer = client_of(bob).post("/registers/parts/new/", form)
    assert answer.status_code == 200  # bob sees the form again: no such customer for him
    assert "No customer" in answer.content.decode()
    assert not Part.objects.exists()
    answer = client_of(alice).post("/registers/parts/new/", form)
    part = Part.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/registers/parts/{part.code}/"
