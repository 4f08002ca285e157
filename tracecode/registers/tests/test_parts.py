"""A customer's part: their part number beside our product code, category-type-serial."""

import pytest
from django.core.exceptions import ValidationError

from tracecode.codes.models import Counter
from tracecode.core.concurrency import StaleEdit
from tracecode.registers import services
from tracecode.registers.models import Part, RegisterChange
from tracecode.sales.tests.factories import make_customer

from .factories import make_material, make_part

pytestmark = pytest.mark.django_db


def test_the_first_machined_manifold_block_is_01_04_001(alice):
    part = make_part(make_customer(alice), "SP1003", "MB-200 manifold block")
    assert part.code == "01-04-001"
    assert part.title == "SP1003 · MB-200 manifold block"


def test_serials_count_within_category_and_type(alice):
    customer = make_customer(alice)
    make_part(customer, "SP1003")
    second = make_part(customer, "SP1004")
    housing = make_part(customer, "SP1005", category="02", part_type="01")
    assert (second.code, housing.code) == ("01-04-002", "02-01-001")


def test_a_customer_has_each_part_number_once_in_any_letter_case(alice):
    customer = make_customer(alice)
    first = make_part(customer, "SP1003")
    with pytest.raises(ValidationError) as refused:
        make_part(customer, "sp1003 ")
    assert refused.value.message_dict == {
        "customer_part_number": [f"{customer.code} already has part SP1003: {first.code}."]
    }
    assert Part.objects.count() == 1
    assert Counter.objects.get(scheme="product").last == 1  # no number used up


def test_two_customers_may_use_the_same_part_number(alice, bob):
    make_part(make_customer(alice), "SP1003")
    other = make_part(make_customer(bob, "Pacific Aero"), "SP1003")
    assert other.code == "01-04-002"


def test_the_database_refuses_a_duplicate_the_check_missed(alice):
    from django.db import IntegrityError, transaction

    customer = make_customer(alice)
    make_part(customer, "SP1003")
    with pytest.raises(IntegrityError), transaction.atomic():
        Part.objects.create(customer=customer, code="X1", customer_part_number="SP1003")


def test_an_unknown_category_is_refused(alice):
    with pytest.raises(ValidationError) as refused:
        make_part(make_customer(alice), category="42")
    assert refused.value.message_dict["category"][0].startswith(
        "42 is not one of the scheme's values: 01, 02,"
    )


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [("8481.90.00", "84819000", "8481.90.00"), ("848190", "848190", "8481.90"),
     ("8481 90 00 90", "8481900090", "8481.90.00.90")],
)  # fmt: skip
def test_the_hs_code_is_kept_as_digits_and_printed_with_dots(alice, typed, kept, shown):
    part = make_part(make_customer(alice), hs_code=typed)
    assert (part.hs_code, part.hs_code_display) == (kept, shown)


@pytest.mark.parametrize("typed", ["8481", "8481.9", "HS8481900", "84819000123"])
def test_a_malformed_hs_code_is_refused(alice, typed):
    with pytest.raises(ValidationError) as refused:
        make_part(make_customer(alice), hs_code=typed)
    assert refused.value.message_dict == {
        "hs_code": ["An HS code has 6, 8 or 10 digits, e.g. 8481.90.00."]
    }


def test_an_unknown_country_of_origin_is_refused(alice):
    with pytest.raises(ValidationError) as refused:
        make_part(make_customer(alice), origin="XX")
    assert "origin" in refused.value.message_dict


def test_a_part_names_its_material_from_the_register(alice):
    material = make_material("01.01", "CPIDE131218DA1")
    part = make_part(make_customer(alice), material=material, material_spec="PI laminate")
    assert part.material.code == "01.01.00001"


def test_category_and_type_never_change(alice):
    part = make_part(make_customer(alice))
    part.category = "02"
    with pytest.raises(ValidationError) as refused:
        services.update_part(part, user=alice, expected_version=1, fields=["category", "name"])
    assert "category" in refused.value.message_dict
    part.refresh_from_db()
    assert (part.category, part.code) == ("01", "01-04-001")


def test_an_edit_over_someone_elses_is_refused(alice):
    part = make_part(make_customer(alice))
    first = Part.objects.get(pk=part.pk)
    first.process = "CNC machining"
    services.update_part(first, user=alice, expected_version=1, fields=["process"])
    stale = Part.objects.get(pk=part.pk)
    stale.version = 1
    stale.process = "Casting"
    with pytest.raises(StaleEdit) as refused:
        services.update_part(stale, user=alice, expected_version=1, fields=["process"])
    assert [c.field for c in refused.value.changes] == ["process"]


def test_every_change_is_in_its_history(alice):
    part = make_part(make_customer(alice))
    part.drawing_revision = "B"
    part.hs_code = "8481.90.00"
    services.update_part(
        part, user=alice, expected_version=1, fields=["drawing_revision", "hs_code", "name"]
    )
    rows = RegisterChange.objects.filter(code=part.code, action="changed").order_by("field")
    assert [(r.field, r.old_value, r.new_value) for r in rows] == [
        ("drawing_revision", "", "B"),
        ("hs_code", "", "84819000"),
    ]
    assert {r.customer_id for r in rows} == {part.customer_id}


def test_a_typed_part_number_finds_its_part(alice):
    customer = make_customer(alice)
    part = make_part(customer, "SP1003")
    assert services.parts_named(customer, ["sp1003", "01-04-001", "SP9999", ""]) == {
        "sp1003": part,
        "01-04-001": part,
    }
