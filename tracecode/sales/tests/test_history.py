"""Every change to a quotation and to what the order's documents print (shipping details,
cartons on its lines) is on the record's timeline, page and API: what changed, old → new,
who and when. Someone who cannot see the record cannot see its history."""

from decimal import Decimal

import pytest

from tracecode.sales import services
from tracecode.sales.models import Quotation

from .factories import days, line, make_customer, make_order, make_project, move, today
from .test_concurrency import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice, name="Pacific Aero Components Inc.", shared_with=[]))


@pytest.fixture
def quotation(project, alice):
    values = {"quoted_on": today(), "valid_until": days(30), "currency": "USD",
              "incoterm": "FOB", "incoterm_place": "Ningbo", "lead_time": "6 weeks"}  # fmt: skip
    lines = [{"item": "BRKT-77", "quantity": 400, "unit": "pcs", "unit_price": "38.50"}]
    return services.create_quotation(project, user=alice, values=values, lines=lines)


def quotation_form(quotation, **changes):
    data = {
        "version": quotation.version,
        "quoted_on": quotation.quoted_on.isoformat(),
        "valid_until": quotation.valid_until.isoformat(),
        "currency": quotation.currency,
        "incoterm": quotation.incoterm,
        "incoterm_place": quotation.incoterm_place,
        "lead_time": quotation.lead_time,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "BRKT-77",
        "lines-0-quantity": "400",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "38.50",
    }
    data.update(changes)
    return data


def test_a_quotation_edited_in_the_browser_keeps_old_and_new_on_its_timeline(
    client_of, alice, quotation
):
    client = client_of(alice)
    answer = client.post(
        f"/sales/quotations/{quotation.code}/edit/",
        quotation_form(quotation, incoterm="CIF", **{"lines-0-unit_price": "36.00"}),
    )
    assert answer.status_code == 302
    event = quotation.events.get(action="changed")
    assert event.by == alice
    assert event.data["changes"] == [
        ["incoterm", "FOB", "CIF"],
        ["lines.1.unit_price", "38.50", "36"],
    ]
    page = client.get(quotation.get_absolute_url()).text
    assert "Free On Board" in page or "FOB" in page
    assert "line 1 unit price 38.50 → 36" in page


def test_saving_a_quotation_unchanged_writes_nothing(client_of, alice, quotation):
    client_of(alice).post(f"/sales/quotations/{quotation.code}/edit/", quotation_form(quotation))
    assert not quotation.events.filter(action="changed").exists()


def test_a_quotation_edited_through_the_api_is_on_its_timeline(client, alice, quotation, token_of):
    auth = {"Authorization": token_of(alice)}
    answer = client.patch(
        f"/api/sales/quotations/{quotation.code}",
        {"version": quotation.version, "lead_time": "8 weeks"},
        content_type="application/json",
        headers=auth,
    )
    assert answer.status_code == 200, answer.content
    changed = [e for e in answer.json()["timeline"] if e["action"] == "changed"]
    assert changed[0]["by"] == "alice"
    assert changed[0]["changes"] == [{"field": "lead_time", "old": "6 weeks", "new": "8 weeks"}]
    assert "6 weeks → 8 weeks" in changed[0]["text"]


def test_bob_sees_neither_the_quotation_nor_its_history(client_of, bob, token_of, quotation):
    services.save_quotation(
        Quotation.objects.get(pk=quotation.pk), version=quotation.version, fields=[],
        lines=[{"item": "BRKT-77", "quantity": 400, "unit": "pcs", "unit_price": "30"}],
    )  # fmt: skip
    assert client_of(bob).get(quotation.get_absolute_url()).status_code == 404
    from django.test import Client

    answer = Client().get(
        f"/api/sales/quotations/{quotation.code}", headers={"Authorization": token_of(bob)}
    )
    assert answer.status_code == 404
    assert "38.50" not in answer.text


# What the PI, CI and PL print ---------------------------------------------------------------


@pytest.fixture
def order(project):
    return make_order(project, "mass", currency="EUR", lines=[line(quantity="1000")])


def test_shipping_details_changed_in_the_browser_keep_old_and_new(client_of, alice, order):
    client = client_of(alice)
    url = f"/sales/orders/{order.code}/shipping/"
    client.post(url, {"port_of_loading": "Ningbo", "consignee": "To order"})
    client.post(url, {"port_of_loading": "Shanghai", "consignee": "To order"})
    last = order.events.filter(action="shipping").last()
    assert last.by == alice
    assert last.data["changes"] == [["port_of_loading", "Ningbo", "Shanghai"]]
    assert "Ningbo → Shanghai" in client.get(order.get_absolute_url()).text


def test_shipping_details_changed_through_the_api_keep_old_and_new(client, alice, order, token_of):
    auth = {"Authorization": token_of(alice)}
    url = f"/api/sales/orders/{order.code}/shipping"
    client.put(url, {"consignee": "Nordwerk GmbH, Kassel"}, content_type="application/json",
               headers=auth)  # fmt: skip
    timeline = client.get(f"/api/sales/orders/{order.code}", headers=auth).json()["timeline"]
    shipping = [e for e in timeline if e["action"] == "shipping"]
    assert shipping[-1]["changes"] == [
        {"field": "consignee", "old": "", "new": "Nordwerk GmbH, Kassel"}
    ]
    assert shipping[-1]["by"] == "alice"


def test_cartons_entered_on_a_line_are_on_the_timeline(client_of, alice, order):
    client = client_of(alice)
    packed = {"lines-0-cartons": "20", "lines-0-gross_weight": "412.5"}
    client.post(f"/sales/orders/{order.code}/edit/", edit_data(order, order.version, **packed))
    event = order.events.get(action="changed")
    assert ["lines.1.cartons", None, 20] in event.data["changes"]
    assert "line 1 cartons — → 20" in client.get(order.get_absolute_url()).text


def shipping_page(order, **packing):
    data = {"port_of_loading": "Ningbo", "consignee": "To order"}
    data.update({f"line1-{name}": value for name, value in packing.items()})
    return data


def test_cartons_are_packed_after_production_started_and_kept_on_the_timeline(
    client_of, alice, order
):
    order = move(order, "confirm", "start_production", "finish_production", user=alice)
    client = client_of(alice)
    url = f"/sales/orders/{order.code}/shipping/"
    page = client.get(url).text
    assert 'name="line1-cartons"' in page  # the lines' quantities are fixed, their packing not
    packed = {"cartons": "20", "net_weight": "400", "gross_weight": "412.5",
              "carton_length": "60", "carton_width": "40", "carton_height": "35"}  # fmt: skip
    answer = client.post(url, shipping_page(order, **packed))
    assert answer.status_code == 302
    packed_line = order.lines.get()
    assert packed_line.cartons == 20 and packed_line.gross_weight == Decimal("412.5")
    event = order.events.filter(action="shipping").last()
    assert ["lines.1.cartons", None, 20] in event.data["changes"]
    assert ["lines.1.gross_weight", None, "412.50"] in event.data["changes"]
    assert event.by == alice
    assert "line 1 cartons — → 20" in client.get(order.get_absolute_url()).text


def test_a_gross_weight_below_the_net_is_refused_and_nothing_is_lost(client_of, alice, order):
    client = client_of(alice)
    url = f"/sales/orders/{order.code}/shipping/"
    answer = client.post(url, shipping_page(order, net_weight="400", gross_weight="300"))
    assert answer.status_code == 200
    assert "cannot be less than the net" in answer.text
    assert 'value="300"' in answer.text
    assert order.lines.get().net_weight is None


def test_cartons_are_packed_through_the_api(client, alice, order, token_of):
    order = move(order, "confirm", "start_production", user=alice)
    auth = {"Authorization": token_of(alice)}
    url = f"/api/sales/orders/{order.code}/shipping"
    answer = client.put(url, {"lines": [{"cartons": 12, "origin": "cn"}]},
                        content_type="application/json", headers=auth)  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["lines"][0]["cartons"] == 12
    assert answer.json()["lines"][0]["origin"] == "CN"
    timeline = client.get(f"/api/sales/orders/{order.code}", headers=auth).json()["timeline"]
    assert {"field": "lines.1.cartons", "old": None, "new": 12} in timeline[-1]["changes"]
    wrong = client.put(url, {"lines": [{"hs_code": "12"}]}, content_type="application/json",
                       headers=auth)  # fmt: skip
    assert wrong.status_code == 422
    assert "lines.1.hs_code" in wrong.json()["error"]["fields"]


def test_a_line_added_through_the_api_is_on_the_timeline(client, alice, order, token_of):
    auth = {"Authorization": token_of(alice)}
    first = {"part_number": "SP1003", "quantity": "1000", "unit": "pcs", "unit_price": "2.35"}
    second = {"part_number": "SP2004", "quantity": "50", "unit": "pcs", "unit_price": "4.00"}
    answer = client.patch(
        f"/api/sales/orders/{order.code}",
        {"version": order.version, "lines": [first, second]},
        content_type="application/json",
        headers=auth,
    )
    assert answer.status_code == 200, answer.content
    changed = [e for e in answer.json()["timeline"] if e["action"] == "changed"][-1]
    added = [c for c in changed["changes"] if c["field"] == "lines.2"]
    assert added and added[0]["old"] is None and "SP2004" in added[0]["new"]


def test_bob_cannot_read_the_orders_history(client_of, bob, alice, order, token_of):
    order = move(order, "confirm", user=alice)
    from tracecode.sales.shipping import save_shipping

    save_shipping(order, {"port_of_loading": "Ningbo"}, user=alice)
    assert client_of(bob).get(order.get_absolute_url()).status_code == 404
    from django.test import Client

    answer = Client().get(
        f"/api/sales/orders/{order.code}", headers={"Authorization": token_of(bob)}
    )
    assert answer.status_code == 404 and "Ningbo" not in answer.text
