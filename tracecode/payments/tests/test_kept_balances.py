"""A customer's balances per currency are kept on the customer (customers/standing.py), moved
in the transaction of each payment, credit, write-off and order change, and always equal to
what its orders and credit add up to."""

from decimal import Decimal

import pytest

from tracecode.customers import standing
from tracecode.customers.models import Customer
from tracecode.payments import services
from tracecode.payments.models import Credit
from tracecode.sales import services as sales
from tracecode.sales.models import Order
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db


def kept(customer) -> dict:
    return Customer.objects.get(pk=customer.pk).balances


def added_up(customer) -> dict:
    """The balances counted the long way: every owing order and credit, one by one."""
    found = {}
    for order in Order.objects.filter(project__customer=customer):
        if order.state in services.OWING:
            owing, credit = found.get(order.currency, (Decimal(0), Decimal(0)))
            found[order.currency] = (owing + order.total - order.paid, credit)
    for entry in Credit.objects.filter(customer=customer):
        owing, credit = found.get(entry.currency, (Decimal(0), Decimal(0)))
        found[entry.currency] = (owing, credit + entry.amount)
    return {c: [f"{o:.2f}", f"{k:.2f}"] for c, (o, k) in sorted(found.items())}


@pytest.fixture
def customer(bob):
    return make_customer(bob, name="Nordwerk Automotive GmbH")


def confirmed(customer, bob, amount="10000", currency="EUR"):
    order = make_order(make_project(customer), lines=[line(quantity="1", price=amount)],
                       currency=currency)  # fmt: skip
    return move(order, "confirm", user=bob)


def test_a_confirmed_order_owes_its_total(customer, bob):
    assert kept(customer) == {}
    make_order(make_project(customer), lines=[line(quantity="1", price="10")], currency="EUR")
    assert kept(customer) == {}  # a draft owes nothing
    confirmed(customer, bob)
    assert kept(customer) == {"EUR": ["10000.00", "0.00"]}


def test_a_new_payment_moves_the_kept_balance(customer, bob):
    order = confirmed(customer, bob)
    sales.record_payment(order, user=bob, values={"amount": Decimal("3000")})
    assert kept(customer) == {"EUR": ["7000.00", "0.00"]}
    services.receive(order, user=bob, values={"amount": Decimal("7050")})
    assert kept(customer) == {"EUR": ["0.00", "50.00"]}
    assert services.customer_balance(customer)[0].net == Decimal("-50.00")


def test_credit_used_and_a_write_off_move_it_too(customer, bob):
    first = confirmed(customer, bob, "100")
    services.receive(first, user=bob, values={"amount": Decimal("130")})  # 30 credit
    second = confirmed(customer, bob, "100")
    services.use_credit(second, user=bob)
    assert kept(customer) == {"EUR": ["70.00", "0.00"]}
    services.write_off(second, user=bob, amount="20", reason="bank_charges")
    assert kept(customer) == {"EUR": ["50.00", "0.00"]} == added_up(customer)


def test_a_cancelled_order_owes_nothing_and_a_changed_total_owes_more(customer, bob):
    order = confirmed(customer, bob, "100", "USD")
    other = confirmed(customer, bob, "40", "USD")
    move(other, "cancel", user=bob)
    assert kept(customer) == {"USD": ["100.00", "0.00"]}
    order.refresh_from_db()
    lines = [line(quantity="1", price="100"), line(quantity="2", price="5")]
    sales.save_order(order, version=order.version, fields=[], user=bob, lines=lines)
    assert kept(customer) == added_up(customer) == {"USD": ["110.00", "0.00"]}


def test_the_kept_balances_equal_the_orders_and_credit_added_up(customer, bob, alice):
    theirs = make_customer(alice, name="Kowa Seiki K.K.")
    orders = [confirmed(customer, bob, "250", "EUR"), confirmed(customer, bob, "80", "USD"),
              confirmed(theirs, alice, "999.99", "CNY")]  # fmt: skip
    services.receive(orders[0], user=bob, values={"amount": Decimal("300")})
    sales.record_payment(orders[2], user=alice, values={"amount": Decimal("0.99")})
    Customer.objects.update(balances={})  # forgotten: counted again for every customer
    standing.refresh_all()
    for each in (customer, theirs):
        assert kept(each) == added_up(each) != {}
