"""Registers are readable by all staff: every member of staff finds materials and suppliers
from the header box, while what belongs to a customer stays with who may see the customer."""

from decimal import Decimal

import pytest

from tracecode.sales import services as sales
from tracecode.sales.tests.factories import make_customer, make_order, make_project
from tracecode.search.services import search

from .factories import make_material, make_supplier

pytestmark = pytest.mark.django_db(transaction=True)


def hits(user, query, **options) -> set[tuple[str, str]]:
    found = search(user, query, **options)
    return {(hit.kind, hit.code) for group in found.groups for hit in group.hits}


def processing_order(owner, name, material, supplier=None):
    project = make_project(make_customer(owner, name), name="PCBA-7731")
    order = make_order(project, "processing", currency="CNY")
    sales.save_bom(order, [{"part_number": "STIFF-7731", "material": material,
                            "quantity_per_unit": Decimal("0.004"), "unit": "m2",
                            "supplied_by": "factory", "supplier": supplier}])  # fmt: skip
    return order


def test_every_member_of_staff_finds_a_material_by_its_code(alice, bob, viewer):
    material = make_material("01.01", "CPIDE131218DA1")
    for user in (alice, bob, viewer):
        assert ("material", material.code) in hits(user, material.code), user
        assert ("material", material.code) in hits(user, "01.01."), user  # a prefix


def test_every_member_of_staff_finds_a_supplier_by_name_and_short_query(alice, bob):
    supplier = make_supplier("Dongguan Taiflex", region="441900")
    for user in (alice, bob):
        assert ("supplier", supplier.code) in hits(user, "Taiflex")
        assert ("supplier", supplier.code) in hits(user, "Do")  # 1–2 characters
        assert ("supplier", supplier.code) in hits(user, "Taiflex", kind="supplier")


def test_a_chinese_material_name_is_found_by_every_sales_user(alice, bob):
    material = make_material("01.01", "聚酰亚胺覆盖膜")
    assert ("material", material.code) in hits(alice, "覆盖膜")
    assert ("material", material.code) in hits(bob, "覆盖")  # two characters: the grams


def test_a_material_code_shows_bob_only_his_own_orders(alice, bob):
    base = make_material("01.01", "CPIDE131218DA1")
    taiflex = make_supplier("Dongguan Taiflex", materials=[base])
    mine = processing_order(alice, "苏州精工电子有限公司", base, taiflex)
    theirs = processing_order(bob, "Pacific Aero Components Inc.", base)
    assert hits(alice, base.code) == {
        ("material", base.code), ("supplier", taiflex.code), ("order", mine.code)}  # fmt: skip
    assert hits(bob, base.code) == {
        ("material", base.code), ("supplier", taiflex.code), ("order", theirs.code)}  # fmt: skip
    assert ("order", mine.code) not in hits(bob, taiflex.code)
    assert ("order", mine.code) not in hits(bob, "PCBA-7731")
    assert ("order", theirs.code) not in hits(alice, "Pacific")


def test_an_unfiled_mail_stays_with_managers(alice, bob, manager):
    from tracecode.search.tests.factories import entry

    entry("mail", "", "Unfiled mail from the forwarder", None)
    assert not search(alice, "forwarder") and not search(bob, "forwarder")
    assert search(manager, "forwarder")
