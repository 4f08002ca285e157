"""A recorded payment is corrected on its own page or through the API; the order's timeline
keeps what it was, old → new, with who. Someone who cannot see the order cannot change or
read it."""

from decimal import Decimal

import pytest
from django.test import Client

from tracecode.payments import services
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice):
    project = make_project(make_customer(alice, shared_with=[]))
    order = make_order(project, lines=[line(quantity="1000", price="10")], currency="EUR")
    return move(order, "confirm", user=alice)


@pytest.fixture
def payment(order, alice):
    payment, _credit = services.receive(
        order, user=alice, values={"amount": Decimal("3000"), "reference": "DEUT-1"}
    )
    return payment


def form(payment, **changes):
    data = {
        "received_on": payment.received_on.isoformat(),
        "amount": str(payment.amount),
        "method": payment.method,
        "reference": payment.reference,
        "note": payment.note,
    }
    return {**data, **changes}


def test_a_payment_corrected_on_its_page_is_on_the_orders_timeline(
    client_of, alice, order, payment
):
    client = client_of(alice)
    assert f"/payments/{payment.pk}/edit/" in client.get(order.get_absolute_url()).text
    answer = client.post(
        f"/payments/{payment.pk}/edit/", form(payment, amount="3500", reference="DEUT-1A")
    )
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.paid == Decimal("3500") and order.balance == Decimal("6500")
    event = order.events.get(action="payment_changed")
    assert event.by == alice
    assert event.data["changes"] == [["amount", "3000", "3500"], ["reference", "DEUT-1", "DEUT-1A"]]
    page = client.get(order.get_absolute_url()).text
    assert "amount 3000 → 3500" in page and "DEUT-1 → DEUT-1A" in page


def test_a_payment_cannot_be_corrected_to_more_than_is_owed(client_of, alice, order, payment):
    answer = client_of(alice).post(f"/payments/{payment.pk}/edit/", form(payment, amount="10001"))
    assert answer.status_code == 422
    assert "At most" in answer.text
    order.refresh_from_db()
    assert order.paid == Decimal("3000")
    assert not order.events.filter(action="payment_changed").exists()


def test_a_payment_corrected_through_the_api_is_on_the_timeline(
    client, alice, order, payment, token_of
):
    auth = {"Authorization": token_of(alice)}
    answer = client.patch(
        f"/api/payments/{payment.pk}", {"method": "lc"}, content_type="application/json",
        headers=auth,
    )  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["method"] == "lc" and answer.json()["id"] == payment.pk
    timeline = client.get(f"/api/sales/orders/{order.code}", headers=auth).json()["timeline"]
    changed = [e for e in timeline if e["action"] == "payment_changed"]
    assert changed[0]["changes"] == [{"field": "method", "old": "tt", "new": "lc"}]
    assert changed[0]["by"] == "alice"
    assert "letter of credit" in changed[0]["text"]


def test_bob_can_neither_correct_nor_read_alices_payment(client_of, bob, payment, token_of):
    assert client_of(bob).get(f"/payments/{payment.pk}/edit/").status_code == 404
    assert client_of(bob).post(f"/payments/{payment.pk}/edit/", form(payment)).status_code == 404
    answer = Client().patch(
        f"/api/payments/{payment.pk}", {"note": "x"}, content_type="application/json",
        headers={"Authorization": token_of(bob)},
    )  # fmt: skip
    assert answer.status_code == 404
    payment.refresh_from_db()
    assert payment.note == ""


def test_the_write_off_form_on_the_order_page_has_its_own_fields(client_of, alice, order, payment):
    client = client_of(alice)
    page = client.get(order.get_absolute_url()).text
    assert page.count('id="id_amount"') == 1  # the payment's; the write-off's label found its own
    assert 'id="id_write_off-amount"' in page
    answer = client.post(f"/payments/orders/{order.code}/write-off/", {
        "write_off-amount": "20", "write_off-reason": "bank_charges",
        "write_off-note": "Intermediary bank fee"})  # fmt: skip
    assert answer.status_code == 302
    order.refresh_from_db()
    assert order.write_offs.get().amount == Decimal("20")
