"""Once an order is confirmed its currency is fixed (page and API say why), and every change
to it is on its timeline: what changed, old → new, and who."""

import pytest

from tracecode.sales.models import Order

from .factories import days, make_customer, make_order, make_project, move
from .test_concurrency import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice):
    project = make_project(make_customer(alice, shared_with=[]))
    return make_order(project, "mass", currency="EUR", customer_po="PO-1")


def test_a_confirmed_orders_currency_cannot_change_in_the_browser(client_of, alice, order):
    order = move(order, "confirm")
    page = client_of(alice).post(
        f"/sales/orders/{order.code}/edit/", edit_data(order, order.version, currency="JPY")
    )
    assert page.status_code == 200
    assert "its currency stays EUR" in page.content.decode()
    assert Order.objects.get(pk=order.pk).currency == "EUR"


def test_a_confirmed_orders_currency_cannot_change_in_the_api(client, alice, order, token_of):
    order = move(order, "confirm")
    answer = client.patch(
        f"/api/sales/orders/{order.code}",
        {"version": order.version, "currency": "JPY"},
        content_type="application/json",
        headers={"Authorization": token_of(alice)},
    )
    assert answer.status_code == 422
    assert "currency" in answer.json()["error"]["fields"]
    assert Order.objects.get(pk=order.pk).currency == "EUR"


def test_a_draft_orders_currency_may_still_change(client_of, alice, order):
    page = client_of(alice).post(
        f"/sales/orders/{order.code}/edit/", edit_data(order, order.version, currency="USD")
    )
    assert page.status_code == 302
    assert Order.objects.get(pk=order.pk).currency == "USD"


def test_a_change_is_on_the_timeline_with_old_and_new_and_who(client_of, alice, order):
    old = order.delivery_date
    client = client_of(alice)
    client.post(
        f"/sales/orders/{order.code}/edit/",
        edit_data(order, order.version, delivery_date=days(45).isoformat()),
    )
    event = order.events.get(action="changed")
    assert event.by == alice
    assert event.data["changes"][0] == ["delivery_date", old.isoformat(), days(45).isoformat()]
    # the form sent no specification: the line's is gone, and the timeline says so
    assert event.data["changes"][1][0] == "lines.1.specification"
    page = client.get(order.get_absolute_url()).content.decode()
    assert f"{old.isoformat()} → {days(45).isoformat()}" in page
