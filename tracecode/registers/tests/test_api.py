"""/api/registers/: the registers for programs, with the pages' rules and messages."""

import pytest

from tracecode.codes.models import CodeEntry
from tracecode.registers.models import Material, Part, Supplier
from tracecode.sales.tests.factories import make_customer

from .factories import make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, token_of):
    """`api(user).post(path, body)`: JSON calls with the user's token."""

    class Caller:
        def __init__(self, user):
            self.auth = token_of(user)

        def get(self, path):
            return client.get(path, HTTP_AUTHORIZATION=self.auth)

        def post(self, path, body):
            return client.post(
                path, body, content_type="application/json", HTTP_AUTHORIZATION=self.auth
            )

        def patch(self, path, body):
            return client.patch(
                path, body, content_type="application/json", HTTP_AUTHORIZATION=self.auth
            )

    return Caller


def test_a_part_is_registered_and_read_back(alice, api):
    customer = make_customer(alice)
    material = make_material()
    answer = api(alice).post(
        "/api/registers/parts",
        {"customer": customer.code, "customer_part_number": "MB-200", "name": "Manifold block",
         "category": "01", "type": "04", "material": material.code, "hs_code": "8481.90.00",
         "origin": "CN"},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["code"], body["customer"], body["type"]) == ("01-04-001", customer.code, "04")
    assert (body["hs_code"], body["hs_code_display"], body["unit"]) == (
        "84819000",
        "8481.90.00",
        "pcs",
    )
    assert body["material"] == "01.01.00001"
    assert api(alice).get("/api/registers/parts/01-04-001").json()["name"] == "Manifold block"


def test_a_duplicate_part_number_answers_422_and_saves_nothing(alice, api):
    customer = make_customer(alice)
    make_part(customer, "SP1003")
    answer = api(alice).post(
        "/api/registers/parts",
        {"customer": customer.code, "customer_part_number": "SP1003", "name": "Housing",
         "category": "01", "type": "02"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "customer_part_number": [f"{customer.code} already has part SP1003: 01-04-001."]
    }
    assert Part.objects.count() == 1
    assert not CodeEntry.objects.filter(code="01-02-001").exists()


def test_a_code_is_never_typed(alice, api):
    answer = api(alice).post(
        "/api/registers/parts",
        {"customer": make_customer(alice).code, "customer_part_number": "X", "code": "01-01-999"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"]["code"] == [
        "A code is given by the system once and never changes."
    ]


def test_a_material_of_the_wrong_class_answers_422(keeper, api):
    answer = api(keeper).post(
        "/api/registers/materials",
        {"material_class": "01", "subclass": "02.01", "name": "RC0402JR-07910K"},
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "subclass": [
                    "Subclass 02.01 (Electronic components: resistors) does not belong to "
                    "class 01 (Raw material)."
                ]
            },
        }
    }
    assert not Material.objects.exists()


def test_a_material_is_registered_with_its_subclass_alone(keeper, api):
    answer = api(keeper).post(
        "/api/registers/materials", {"subclass": "02.02", "name": "GRM155R71C104KA88D"}
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["code"], body["material_class"]) == ("02.02.00001", "02")
    assert body["full_name"] == "Electronic components: capacitors - GRM155R71C104KA88D"


def test_the_values_of_a_code_never_change(keeper, api):
    material = make_material()
    answer = api(keeper).patch(
        f"/api/registers/materials/{material.code}", {"version": 1, "subclass": "01.02"}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "subclass": ["Part of the code 01.01.00001: given once, never changed."]
    }
    answer = api(keeper).patch(
        f"/api/registers/materials/{material.code}",
        {"version": 1, "subclass": "01.01", "specification": "PI 12.5 µm"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["specification"] == "PI 12.5 µm"


def test_a_stale_version_answers_409(keeper, api):
    material = make_material()
    assert (
        api(keeper)
        .patch(
            f"/api/registers/materials/{material.code}", {"version": 1, "manufacturer": "Taiflex"}
        )
        .status_code
        == 200
    )
    answer = api(keeper).patch(
        f"/api/registers/materials/{material.code}", {"version": 1, "manufacturer": "Panasonic"}
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "conflict"
    assert answer.json()["error"]["fields"] == {"manufacturer": ["saved meanwhile as: Taiflex"]}


def test_a_patch_without_version_answers_422(keeper, api):
    material = make_material()
    answer = api(keeper).patch(f"/api/registers/materials/{material.code}", {"notes": "x"})
    assert answer.json()["error"]["fields"] == {
        "version": ["Send the version you read (optimistic locking)."]
    }


def test_a_supplier_with_contacts_and_materials(keeper, api):
    material = make_material()
    answer = api(keeper).post(
        "/api/registers/suppliers",
        {"name": "Dongguan Taiflex", "region": "441900", "country": "CN",
         "materials": [material.code], "subclasses": ["01.01"],
         "contacts": [{"name": "Liu Wei", "email": "liu.wei@taiflex.example"}]},
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["code"], body["materials"]) == ("S4419000001", ["01.01.00001"])
    assert body["contacts"][0]["name"] == "Liu Wei"
    answer = api(keeper).patch(
        f"/api/registers/suppliers/{body['code']}",
        {"version": 1, "contacts": [{"name": "Liu Wei"}, {"name": "Zhang Min"}]},
    )
    assert [c["name"] for c in answer.json()["contacts"]] == ["Liu Wei", "Zhang Min"]
    assert answer.json()["materials"] == ["01.01.00001"]  # untouched when not sent


def test_an_unknown_material_of_a_supplier_answers_422(keeper, api):
    answer = api(keeper).post(
        "/api/registers/suppliers",
        {"name": "X", "region": "441900", "materials": ["01.01.99999"]},
    )
    assert answer.status_code == 422
    assert "materials" in answer.json()["error"]["fields"]
    assert not Supplier.objects.exists()


def test_a_contact_without_name_answers_422(keeper, api):
    answer = api(keeper).post(
        "/api/registers/suppliers",
        {"name": "X", "region": "441900", "contacts": [{"email": "a@b.example"}]},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {"contacts.0.name": ["This field is required."]}
    assert not Supplier.objects.exists()


def test_the_lists_filter(alice, keeper, api):
    make_material("01.01", "CPIDE131218DA1")
    make_material("02.01", "RC0402JR-07910K")
    make_supplier("Drilling Co", materials=[], subclasses=["04.01"])
    answer = api(alice).get("/api/registers/materials?material_class=02")
    assert [m["code"] for m in answer.json()["items"]] == ["02.01.00001"]
    answer = api(alice).get("/api/registers/materials?q=cpide")
    assert answer.json()["count"] == 1
    assert api(alice).get("/api/registers/suppliers?subclass=04").json()["count"] == 1


def test_the_classes_and_their_subclasses(alice, api):
    classes = api(alice).get("/api/registers/materials/classes").json()
    assert [c["code"] for c in classes] == [f"{n:02d}" for n in range(1, 11)]
    assert classes[7]["name_zh"] == "客供物料"
    assert [s["value"] for s in classes[7]["subclasses"]] == ["08.01", "08.02", "08.03"]


def test_every_change_is_read_back(alice, api):
    part = make_part(make_customer(alice))
    api(alice).patch(f"/api/registers/parts/{part.code}", {"version": 1, "process": "Milling"})
    history = api(alice).get(f"/api/registers/parts/{part.code}/history").json()
    assert [(h["field"], h["old"], h["new"]) for h in history if not h["created"]] == [
        ("process", "—", "Milling")
    ]
