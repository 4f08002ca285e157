"""Sales records are found from the header box by their number and by the words inside them."""

import pytest
from django.db import transaction
from django.utils import translation

from tracecode.sales import services
from tracecode.sales.tests.factories import make_customer, make_order, make_project
from tracecode.search.services import search

pytestmark = pytest.mark.django_db


def kinds_found(user, query) -> dict[str, list[str]]:
    return {g.kind: [f"{h.code} {h.title}" for h in g.hits] for g in search(user, query).groups}


@pytest.fixture
def story(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = make_customer(alice, name="Lyon Précision Médicale SARL")
    project = make_project(customer, user=alice, name="SP1003")
    order = make_order(project, user=alice)
    return customer, project, order


def test_a_project_code_finds_the_project_and_its_orders(story, alice):
    _, project, order = story
    found = kinds_found(alice, project.code)
    assert any(project.code in title for title in found["project"])
    assert any(order.code in title for title in found["order"])


def test_the_project_name_finds_it(story, alice):
    _, project, _ = story
    assert any(project.code in t for t in kinds_found(alice, "SP1003")["project"])


def test_a_word_inside_a_generated_pi_finds_the_document(story, alice):
    _, _, order = story
    with transaction.atomic():
        services.generate_document(order, "PI", user=alice)
    found = kinds_found(alice, "PROFORMA")
    assert any(order.code in title for title in found["document"])
    assert any("PI" in title for title in kinds_found(alice, order.code)["document"])


def test_bob_finds_nothing_of_it(story, bob):
    _, project, order = story
    for query in (project.code, order.code, "SP1003", "Lyon"):
        assert search(bob, query).groups == [], query


@pytest.mark.parametrize(
    "saved_in, read_in, kind, shown",
    [
        ("en", "zh-hans", "sample", "SP1003 · 样品订单"),
        ("en", "zh-hans", "mass", "SP1003 · 批量订单"),
        ("zh-hans", "en", "mass", "SP1003 · mass order"),
        ("en", "en", "sample", "SP1003 · sample order"),
    ],
)
def test_an_orders_kind_is_shown_in_the_readers_language(
    alice, client_of, saved_in, read_in, kind, shown
):
    project = make_project(make_customer(alice), user=alice, name="SP1003")
    with translation.override(saved_in):
        order = make_order(project, kind, user=alice)
    with translation.override(read_in):
        (hit,) = search(alice, order.code).groups[0].hits
        assert hit.title == shown
    client = client_of(alice)
    client.cookies["django_language"] = read_in
    assert shown in client.get("/search/", {"q": order.code}).content.decode()
    assert shown in client.get("/search/suggest", {"q": order.code}).content.decode()


def test_orders_indexed_together_are_found_by_their_bom_and_lots_as_one_alone(alice):
    from decimal import Decimal

    from tracecode.registers.tests.factories import make_material, make_supplier
    from tracecode.search import index
    from tracecode.search.models import Entry

    project = make_project(make_customer(alice, name="苏州精工电子有限公司"), name="PCBA-7731")
    order = make_order(project, "processing", currency="CNY")
    ic = make_material("08.01", "IC_STM32G030K8T6")
    supplier = make_supplier("Dongguan Taiflex", materials=[ic])
    services.save_bom(order, [{"part_number": "IC-STM32G0", "material": ic, "supplier": supplier,
                               "quantity_per_unit": Decimal(1), "unit": "pcs"}])  # fmt: skip
    alone = list(
        Entry.objects.filter(object_type="sales.order", object_id=order.pk).values(
            "code", "text", "parents"
        )
    )
    with index.deferred():
        order.notes = "rush"
        order.save()
    assert kinds_found(alice, ic.code)["order"] == [f"{order.code} PCBA-7731 · processing order"]
    assert kinds_found(alice, supplier.code)["order"] == kinds_found(alice, ic.code)["order"]
    together = Entry.objects.filter(object_type="sales.order", object_id=order.pk).values(
        "code", "text", "parents"
    )
    assert [{**e, "text": e["text"].replace("rush", "")} for e in together] == alone
