"""Materials are coded 2 + 2 + 5 by the seed's material scheme: class, subclass, serial."""

import pytest
from django.core.exceptions import ValidationError

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry, Counter, Scheme
from tracecode.registers import coding, labels, services
from tracecode.registers.models import Material, RegisterChange

from .factories import make_material

pytestmark = pytest.mark.django_db


def test_the_first_adhesive_base_material_is_01_01_00001():
    material = make_material("01.01", "CPIDE131218DA1")
    assert material.code == "01.01.00001"
    assert material.material_class == "01"
    assert CodeEntry.objects.get(code="01.01.00001").record_type == "registers.material"


def test_serials_count_within_the_subclass():
    make_material("01.01", "CPIDE131218DA1")
    second = make_material("01.01", "CPIDE251218DA1")
    capacitor = make_material("02.02", "GRM155R71C104KA88D")
    assert (second.code, capacitor.code) == ("01.01.00002", "02.02.00001")


def test_the_full_name_is_kept_beside_the_code():
    material = make_material("01.01", "CPIDE131218DA1")
    assert labels.full_name(material) == "Raw material: adhesive base material - CPIDE131218DA1"


def test_the_full_name_reads_in_chinese_too(settings):
    from django.utils import translation

    material = make_material("01.01", "CPIDE131218DA1")
    with translation.override("zh-hans"):
        assert labels.full_name(material) == "原材料-有胶基材 - CPIDE131218DA1"


def test_a_subclass_of_another_class_is_refused_and_uses_no_number():
    with pytest.raises(ValidationError) as refused:
        make_material("02.01", "RC0402JR-07910K", material_class="01")
    assert refused.value.message_dict == {
        "subclass": [
            "Subclass 02.01 (Electronic components: resistors) does not belong to class 01 "
            "(Raw material)."
        ]
    }
    assert not Material.objects.exists()
    assert not Counter.objects.filter(scheme="material").exists()
    assert make_material("02.01", "RC0402JR-07910K").code == "02.01.00001"


def test_an_unknown_subclass_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_material("01.99", "Mystery")
    assert refused.value.message_dict["subclass"] == [
        "01.99 is not a subclass of the material scheme."
    ]


def test_a_subclass_given_as_its_two_digits_takes_the_class():
    material = make_material("01", "IC_STM32G030K8T6", material_class="08")
    assert (material.subclass, material.code) == ("08.01", "08.01.00001")


def test_an_unknown_class_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_material("", "Something", material_class="11")
    assert refused.value.message_dict == {"subclass": ["Choose the material's subclass."]}
    with pytest.raises(ValidationError) as refused:
        make_material("11.01", "Something")
    assert "subclass" in refused.value.message_dict


def test_the_scheme_comes_from_the_example_file_the_first_time():
    assert not Scheme.objects.filter(name="material").exists()
    make_material()
    stored = Scheme.objects.get(name="material")
    assert stored.definition["pattern"] == "{subclass}.{serial:5}"
    assert len(stored.definition["tables"]["subclass"]) == 63  # the seed's, of its ten classes
    assert Scheme.objects.filter(name="customer").exists()  # the REKO preset came first


def test_a_scheme_an_administrator_loaded_is_never_replaced(administrator):
    codes.load_scheme_file(
        '[scheme.material]\npattern = "M{subclass}{serial:4}"\n'
        '[scheme.material.tables.subclass]\n"0101" = "Adhesive base"\n',
        user=administrator,
    )
    coding.install_default("material")  # a second process racing: ignored
    material = services.create_material(
        Material(material_class="01", subclass="0101", name="CPIDE131218DA1"), user=None
    )
    assert material.code == "M01010001"


def test_changing_the_scheme_never_recodes(administrator):
    first = make_material("01.01", "CPIDE131218DA1")
    codes.load_scheme_file(
        '[scheme.material]\npattern = "{subclass}-{serial:4}"\n'
        '[scheme.material.tables.subclass]\n"01.01" = "Adhesive base"\n',
        user=administrator,
    )
    second = make_material("01.01", "CPIDE251218DA1")
    first.refresh_from_db()
    # the old code stays; the subclass's counter goes on in the new form
    assert (first.code, second.code) == ("01.01.00001", "01.01-0002")


def test_an_administrator_adds_a_subclass(administrator):
    make_material()
    value = services.add_subclass("01", "08", "Raw material: copper foil", "原材料-铜箔",
                                  user=administrator)  # fmt: skip
    assert value == "01.08"
    assert make_material("01.08", "RA copper 18 µm").code == "01.08.00001"
    assert Material.objects.get(code="01.01.00001").name == "CPIDE131218DA1"


@pytest.mark.parametrize(
    ("number", "field"), [("8", "number"), ("01", "number"), ("xx", "number"), ("09", "label")]
)
def test_a_bad_subclass_is_not_added(administrator, number, field):
    with pytest.raises(ValidationError) as refused:
        services.add_subclass("01", number, "" if field == "label" else "Foil", user=administrator)
    assert field in refused.value.message_dict


def test_the_code_and_subclass_never_change(keeper):
    material = make_material()
    material.subclass = "01.02"
    with pytest.raises(ValidationError) as refused:
        services.update_material(material, user=keeper, expected_version=1, fields=["subclass"])
    assert refused.value.message_dict["subclass"] == [
        "subclass is part of the code 01.01.00001 and never changes."
    ]


def test_every_change_is_in_its_history(keeper):
    material = make_material(user=keeper)
    material.specification = "PI 12.5 µm, RA copper 18 µm"
    material.unit = "m2"
    services.update_material(
        material, user=keeper, expected_version=1, fields=["specification", "unit", "name"]
    )
    changes = RegisterChange.objects.filter(code=material.code).order_by("pk")
    assert [(c.action, c.field, c.new_value) for c in changes] == [
        ("created", "", "01.01.00001 CPIDE131218DA1"),
        ("changed", "specification", "PI 12.5 µm, RA copper 18 µm"),
        ("changed", "unit", "m2"),
    ]
    assert changes.last().changed_by == keeper
