"""The demo company's credit control: Mia releases Lyon's blocked mass order with a reason,
and Alice confirms it."""

import pytest

from tracecode.care.demo import BLOCKED_PO
from tracecode.care.models import CreditRelease
from tracecode.sales.models import Complaint, Order
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

    # Pacific Aero's complaint, confirmed and analysed, goes through the rest to its 8D.
    complaint = Complaint.objects.get(
        handling__isnull=False, order__project__customer__code="RK1037"
    )
    url = f"/care/complaints/{complaint.number}/"
    client.force_login(complaint.order.project.customer.owner)
    client.post(f"{url}corrective/", {"text": "Lot 2611-B sorted; 12 pcs re-anodised"})
    client.post(f"{url}told/", {"text": "8D sent", "told_on": "2026-01-05", "told_how": "report"})
    client.post(f"{url}preventive/", {"text": "Anodiser must announce bath changes"})
    client.post(f"{url}verified/", {"text": "Next three lots matched the master"})
    complaint.refresh_from_db()
    assert complaint.closed_on is not None
    assert client.get(f"{url}8d.pdf").content.startswith(b"%PDF")

    client.force_login(alice)
    sheet = client.get("/customers/RK888/").content.decode()
    assert 'id="survey-satisfaction">4.3 / 5' in sheet
