"""Payments as they arrive: an overpayment becomes the customer's credit, a short payment is
settled by a write-off with its reason, deposit and balance fall due by the terms, and each
customer's balance adds it up."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracecode.payments import services
from tracecode.payments.models import Credit, WriteOff
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db
TERMS = "30% T/T in advance, 70% before shipment"


@pytest.fixture
def customer(bob):
    return make_customer(bob, name="Nordwerk Automotive GmbH")


@pytest.fixture
def order(customer, bob):
    project = make_project(customer)
    order = make_order(
        project, lines=[line(quantity="1000", price="10")], currency="EUR", payment_terms=TERMS
    )
    return move(order, "confirm", user=bob)


def test_an_overpayment_is_kept_as_the_customers_credit(order, bob, customer):
    payment, credit = services.receive(order, user=bob, values={"amount": Decimal("10050")})
    assert payment.amount == 10000 and order.balance == 0
    assert credit.amount == 50 and credit.currency == "EUR" and credit.payment == payment
    assert services.credit_of(customer, "EUR") == 50
    assert order.events.filter(action="credit").exists()


def test_credit_settles_the_next_order(order, bob, customer):
    services.receive(order, user=bob, values={"amount": Decimal("10050")})
    other = move(make_order(order.project, lines=[line(quantity="10", price="10")],
                            currency="EUR"), "confirm", user=bob)  # fmt: skip
    services.use_credit(other, user=bob)
    assert other.balance == 50 and services.credit_of(customer, "EUR") == 0
    with pytest.raises(ValidationError):
        services.use_credit(other, user=bob)  # nothing left


def test_bank_charges_are_written_off_and_the_order_is_paid(order, bob):
    order = move(order, "start_production", "finish_production", "ship", "confirm_arrival",
                 "reconcile", user=bob)  # fmt: skip
    services.receive(order, user=bob, values={"amount": Decimal("9975")})
    assert order.balance == 25 and order.state == "reconciled"
    written = services.write_off(order, user=bob, amount=Decimal("25"), reason="bank_charges",
                                 note="Intermediary bank fee")  # fmt: skip
    assert order.balance == 0 and order.state == "paid"
    assert written.get_reason_display() == "bank charges"
    assert order.events.filter(action="write_off").exists()


def test_a_write_off_is_at_most_the_balance_and_other_needs_a_reason(order, bob):
    with pytest.raises(ValidationError, match="At most the balance"):
        services.write_off(order, user=bob, amount=Decimal("10001"), reason="bank_charges")
    with pytest.raises(ValidationError):
        services.write_off(order, user=bob, amount=Decimal("5"), reason="other")
    assert not WriteOff.objects.exists() and order.balance == 10000


def test_a_payment_after_a_write_off_keeps_it(order, bob):
    services.write_off(order, user=bob, amount=Decimal("20"), reason="bank_charges")
    services.receive(order, user=bob, values={"amount": Decimal("9980")})
    assert order.paid == 10000 and order.balance == 0


def test_deposit_and_balance_fall_due_by_the_terms(order, bob):
    order.etd = order.confirmed_on + datetime.timedelta(days=20)
    deposit, balance = services.due_dates(order)
    assert (deposit.amount, deposit.due_on) == (3000, order.confirmed_on)
    assert (balance.amount, balance.due_on) == (7000, order.etd)
    services.receive(order, user=bob, values={"amount": Decimal("3500")})
    deposit, balance = services.due_dates(order)
    assert deposit.open == 0 and balance.open == 6500


def test_an_unpaid_deposit_is_overdue(order):
    order.confirmed_on = timezone.localdate() - datetime.timedelta(days=3)
    deposit, _balance = services.due_dates(order)
    assert deposit.is_overdue()


def test_each_customers_balance(order, bob, customer):
    usd = move(make_order(order.project, lines=[line(quantity="1", price="100")],
                          currency="USD"), "confirm", user=bob)  # fmt: skip
    services.receive(order, user=bob, values={"amount": Decimal("10050")})
    balances = {b.currency: b for b in services.customer_balance(customer)}
    assert balances["EUR"].owing == 0 and balances["EUR"].credit == 50
    assert balances["EUR"].net == -50 and balances["USD"].owing == 100 and usd.balance == 100


# Pages and API ------------------------------------------------------------------------------


def test_the_order_page_takes_an_overpayment_and_shows_the_dues(order, bob, client_of):
    client = client_of(bob)
    page = client.get(order.get_absolute_url()).text
    assert "Due by the payment terms" in page and "EUR 3,000.00" in page
    answer = client.post(f"/payments/orders/{order.code}/receive/", {"amount": "-1"})
    assert answer.status_code == 422 and 'value="-1"' in answer.text  # kept, with the reason
    answer = client.post(
        f"/payments/orders/{order.code}/receive/",
        {"received_on": timezone.localdate().isoformat(), "amount": "10100", "method": "tt"},
    )
    assert answer.status_code == 302
    assert Credit.objects.get().amount == 100
    balance = client.get(f"/payments/customers/{order.project.customer.code}/")
    assert "EUR -100.00" in balance.text


def test_the_api_receives_writes_off_and_tells_the_balance(order, bob, client, token_of):
    auth = {"Authorization": token_of(bob)}
    base = f"/api/payments/orders/{order.code}"
    received = client.post(f"{base}/receipts", {"amount": "9990"},
                           content_type="application/json", headers=auth)  # fmt: skip
    assert received.status_code == 201, received.json()
    assert received.json()["balance"] == "10.00" and received.json()["credit"] is None
    written = client.post(f"{base}/write-offs", {"amount": "10", "reason": "bank_charges"},
                          content_type="application/json", headers=auth)  # fmt: skip
    assert written.status_code == 201 and written.json()["balance"] == "0.00"
    bad = client.post(f"{base}/write-offs", {"amount": "1", "reason": "luck"},
                      content_type="application/json", headers=auth)  # fmt: skip
    assert bad.status_code == 422 and "reason" in bad.json()["error"]["fields"]
    settlement = client.get(f"{base}/settlement", headers=auth).json()
    assert [d["amount"] for d in settlement["dues"]] == ["3000.00", "7000.00"]
    assert settlement["written_off"] == "10.00"
    code = order.project.customer.code
    balance = client.get(f"/api/payments/customers/{code}/balance", headers=auth).json()
    assert balance["balances"] == [{"currency": "EUR", "owing": "0.00", "credit": "0.00",
                                    "net": "0.00"}]  # fmt: skip


def test_alice_can_neither_see_nor_settle_bobs_order(order, alice, client, client_of, token_of):
    auth = {"Authorization": token_of(alice)}
    base = f"/api/payments/orders/{order.code}"
    assert client.get(f"{base}/settlement", headers=auth).status_code == 404
    assert client.post(f"{base}/receipts", {"amount": "1"}, content_type="application/json",
                       headers=auth).status_code == 404  # fmt: skip
    write_off = {"amount": "1", "reason": "bank_charges"}
    assert client.post(f"{base}/write-offs", write_off, content_type="application/json",
                       headers=auth).status_code == 404  # fmt: skip
    code = order.project.customer.code
    assert client.get(f"/api/payments/customers/{code}/balance", headers=auth).status_code == 404
    web = client_of(alice)
    assert web.get(f"/payments/customers/{code}/").status_code == 404
    assert web.post(f"/payments/orders/{order.code}/receive/", {"amount": "1"}).status_code == 404
    order.refresh_from_db()
    assert order.paid == 0


def test_the_balance_page_speaks_chinese(order, bob, client_of):
    answer = client_of(bob).get(
        f"/payments/customers/{order.project.customer.code}/",
        headers={"accept-language": "zh-hans"},
    )
    assert "余额" in answer.text
