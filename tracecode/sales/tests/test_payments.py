"""Money in: partial payments, the balance, overdue orders, and paid once reconciled."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tracecode.sales import services, workflow
from tracecode.sales.models import Order

from .factories import days, make_customer, make_order, make_project, order_in, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice))


def pay(order, amount, **values):
    return services.record_payment(
        order, user=order.project.customer.owner, values={"amount": Decimal(amount), **values}
    )


def test_partial_payments_add_up_to_the_balance(project):
    order = order_in("confirmed", project)  # USD 2,350.00
    pay(order, "705.00", reference="TT deposit 30%")
    order.refresh_from_db()
    assert (order.paid, order.balance) == (Decimal("705.00"), Decimal("1645.00"))
    pay(order, "1000")
    order.refresh_from_db()
    assert order.balance == Decimal("645.00")


def test_paying_more_than_the_balance_is_refused(project):
    order = order_in("confirmed", project)
    with pytest.raises(ValidationError) as refused:
        pay(order, "2350.01")
    assert refused.value.message_dict == {"amount": ["Only USD 2,350.00 is still to be paid."]}


def test_a_draft_or_cancelled_order_takes_no_payment(project):
    for state in ("draft", "cancelled"):
        order = order_in(state, project)
        with pytest.raises(workflow.IllegalTransition, match="no payment can be recorded"):
            pay(order, "10")


def test_the_last_payment_of_a_reconciled_order_makes_it_paid(project, alice):
    order = order_in("reconciled", project)
    pay(order, "2000")
    assert Order.objects.get(pk=order.pk).state == "reconciled"
    pay(order, "350")
    order.refresh_from_db()
    assert order.state == "paid"
    assert order.events.filter(action="mark_paid", by=alice).exists()


def test_an_order_past_its_payment_date_with_a_balance_is_overdue(project):
    late = order_in("shipped", project, payment_due_on=today())
    Order.objects.filter(pk=late.pk).update(payment_due_on=days(-1))
    on_time = order_in("shipped", project, payment_due_on=days(10))
    settled = order_in("shipped", project, payment_due_on=today())
    pay(settled, "2350")
    Order.objects.filter(pk=settled.pk).update(payment_due_on=days(-1))
    assert Order.objects.get(pk=late.pk).is_payment_overdue
    assert list(Order.objects.payment_overdue()) == [Order.objects.get(pk=late.pk)]
    assert not Order.objects.get(pk=on_time.pk).is_payment_overdue
    assert not Order.objects.get(pk=settled.pk).is_payment_overdue


def test_an_order_not_shipped_by_its_delivery_date_is_late(project):
    order = order_in("in_production", project)
    Order.objects.filter(pk=order.pk).update(delivery_date=days(-1), ordered_on=days(-40))
    assert list(Order.objects.delivery_late()) == [Order.objects.get(pk=order.pk)]


def test_a_payment_is_in_the_timeline(project):
    order = order_in("confirmed", project)
    pay(order, "705")
    event = order.events.get(action="payment")
    assert workflow.describe(event) == "Payment received: USD 705.00"


def test_the_payment_date_cannot_be_in_the_future(project):
    from tracecode.sales.forms import PaymentForm

    form = PaymentForm({"amount": "10", "received_on": days(1), "method": "tt"})
    assert form.errors["received_on"] == ["This date is in the future."]
    assert make_order(project).balance == Decimal("2350.00")
