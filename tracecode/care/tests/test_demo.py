"""The demo company's credit control: Mia releases Lyon's blocked mass order with a reason,
and Alice confirms it."""

import pytest

from tracecode.care.demo import BLOCKED_PO
from tracecode.care.models import CreditRelease
from tracecode.sales.models import Order
from tracecode.web.demo import load_demo

pytestmark = pytest.mark.django_db


def test_mia_releases_lyons_blocked_order_and_alice_confirms_it(client):
    load_demo()
    load_demo()  # idempotent: nothing twice
    order = Order.objects.get(customer_po=BLOCKED_PO)
    assert order.project.customer.credit_assessments.count() == 1
    alice = order.project.customer.owner
    mia = type(alice).objects.get(username="mia")

    client.force_login(alice)
    move = f"/sales/orders/{order.code}/move/confirm/"
    refused = client.post(move, {"confirm-confirmed_on": "2026-01-05"}, follow=True)
    assert "blocked by credit control" in refused.content.decode()

    client.force_login(mia)
    page = client.get(f"/care/credit/{order.project.customer.code}/").content.decode()
    assert order.code in page
    client.post(f"/care/release/{order.code}/", {"reason": "Deposit of 30 % received"})
    assert CreditRelease.objects.get(order=order).released_by == mia

    client.force_login(alice)
    client.post(move, {"confirm-confirmed_on": "2026-01-05"})
    assert Order.objects.get(pk=order.pk).state == "confirmed"

    follow_ups = client.get("/customers/follow-ups/").content.decode()
    assert "Key account visits due" in follow_ups and "RK888" in follow_ups
