"""Suppliers: S + administrative region + serial by default, another rule by loading a scheme."""

import pytest
from django.core.exceptions import ValidationError

from tracecode.codes import services as codes
from tracecode.registers import services
from tracecode.registers.models import RegisterChange, Supplier

from .factories import make_material, make_supplier

pytestmark = pytest.mark.django_db


def test_the_first_supplier_in_beijing_dongcheng_is_S1101010001():
    assert make_supplier("Beijing Jingwei", region="110101").code == "S1101010001"


def test_serials_count_within_the_region():
    make_supplier("A", region="440300")
    assert make_supplier("B", region="440300").code == "S4403000002"
    assert make_supplier("C", region="441900").code == "S4419000001"


def test_a_region_that_does_not_fit_the_code_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_supplier(region="4403")
    assert refused.value.message_dict["region"] == [
        "region '4403' must be exactly 6 characters A-Z or 0-9"
    ]
    with pytest.raises(ValidationError) as refused:
        make_supplier(region="")
    assert refused.value.message_dict == {"region": ["Required: it is part of the code."]}
    assert not Supplier.objects.exists()


def test_loading_another_scheme_switches_new_codes_and_keeps_old_ones(administrator):
    old = make_supplier("Dongguan Taiflex", region="441900")
    codes.load_scheme_file(
        '[scheme.supplier]\npattern = "{origin}{serial:3}"\n'
        '[scheme.supplier.tables.origin]\n1 = "Domestic"\n2 = "Foreign"\n',
        user=administrator,
    )
    new = services.create_supplier(
        Supplier(name="Würth Elektronik", country="DE", code_values={"origin": "2"}), user=None
    )
    old.refresh_from_db()
    assert (old.code, new.code) == ("S4419000001", "2001")
    assert new.code_values == {"origin": "2"}
    with pytest.raises(ValidationError) as refused:
        services.create_supplier(Supplier(name="Nobody"), user=None)
    assert refused.value.message_dict == {"code_origin": ["Required: it is part of the code."]}


def test_a_supplier_supplies_materials_and_outsourced_processes(viewer):
    drilling = make_material("04.01", "Drilling 803-2C7993A")
    supplier = make_supplier("Suzhou Jingzuan", region="320500", materials=[drilling],
                             subclasses=["04.01", "04.02"])  # fmt: skip
    assert list(drilling.suppliers.all()) == [supplier]
    found = services.filter_records(Supplier, viewer, {"subclass": "04"})
    assert list(found) == [supplier]
    assert not services.filter_records(Supplier, viewer, {"subclass": "01"}).exists()
    assert list(services.filter_records(Supplier, viewer, {"material": drilling.code})) == [
        supplier
    ]


def test_what_it_supplies_must_be_subclasses_of_the_scheme():
    with pytest.raises(ValidationError) as refused:
        make_supplier(subclasses=["04.01", "99.99"])
    assert refused.value.message_dict == {
        "subclasses": ["Not subclasses of the material scheme: 99.99."]
    }


def test_contacts_and_materials_changes_are_in_the_history(keeper):
    supplier = make_supplier(user=keeper)
    foil = make_material("01.03", "Coverlay 12.5 µm")
    supplier.phone = "+86 769 8765 4321"
    services.update_supplier(
        supplier, user=keeper, expected_version=1, fields=["phone"], materials=[foil],
        contacts=[{"name": "Liu Wei", "email": "liu.wei@taiflex.example"}],
    )  # fmt: skip
    rows = RegisterChange.objects.filter(code=supplier.code, action="changed").order_by("field")
    assert [(r.field, r.new_value) for r in rows] == [
        ("contacts", "Liu Wei liu.wei@taiflex.example"),
        ("materials", "01.03.00001"),
        ("phone", "+86 769 8765 4321"),
    ]
    assert [c.name for c in supplier.contacts.all()] == ["Liu Wei"]
