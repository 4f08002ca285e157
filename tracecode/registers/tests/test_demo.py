"""The demo company's registers: parts with price histories, the materials of its processing
order's BOM and lots, and the suppliers it buys from; loaded once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tracecode.files.models import StoredFile
from tracecode.registers import prices
from tracecode.registers.models import Material, Part, Supplier, keeps_registers
from tracecode.sales.models import BomLine, MaterialLot, Order
from tracecode.search.services import search
from tracecode.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_PASSWORD = "demo-pass-123"
    with transaction.atomic():
        report = load_demo()
    return report, {u.username: u for u in get_user_model().objects.all()}


def test_the_demo_registers_are_loaded_once(demo):
    report, _users = demo
    assert "material 01.01.00001 (CPIDE131218DA1)" in report.created
    counts = (Part.objects.count(), Material.objects.count(), Supplier.objects.count())
    assert counts == (9, 6, 4)
    with transaction.atomic():
        assert load_demo().created == []
    assert (Part.objects.count(), Material.objects.count(), Supplier.objects.count()) == counts


def test_the_demo_tells_the_registers_story(demo):
    _report, users = demo
    # the processing order's BOM and lots name registered materials (lots: class 08)
    order = Order.objects.get(kind="processing")
    used = set(BomLine.objects.filter(order=order).values_list("material__code", flat=True))
    assert {"01.01.00001", "08.01.00001", "08.03.00001"} <= used
    lots = MaterialLot.objects.filter(order=order).select_related("bom_line__material")
    assert {lot.bom_line.material.material_class for lot in lots} == {"08"}
    assert BomLine.objects.get(order=order, material__code="01.01.00001").supplier is not None

    # typing 01.01.00001 finds the material and the processing order that used it
    found = search(users["mia"], "01.01.00001")
    kinds = {(hit.kind, hit.code) for group in found.groups for hit in group.hits}
    assert {("material", "01.01.00001"), ("order", order.code)} <= kinds

    # a known part has what the customer paid last time
    part = Part.objects.get(customer_part_number="SP1003")
    paid = prices.last_paid(prices.history(part, users["alice"]))
    assert (paid.price_text, paid.code) == ("EUR 2.25", "RK888-1-M1")

    # the manager keeps the registers, a sales user does not
    assert keeps_registers(users["mia"]) and keeps_registers(users["admin"])
    assert not keeps_registers(users["alice"])

    # a part's drawing is in its customer's folder
    block = Part.objects.get(customer_part_number="MB-200")
    drawing = StoredFile.objects.get(code=block.code)
    assert drawing.file.name.startswith(f"{block.customer.code} ")
    assert f"/{block.code} MB-200 MB-200 manifold block/Drawing/" in drawing.file.name
