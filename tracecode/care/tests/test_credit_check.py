"""Credit control when an order is confirmed: exposure against the limit, overdue invoices,
the manager's release with a reason, and who may see and release what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tracecode.care import credit
from tracecode.care.credit import CreditBlocked
from tracecode.sales.models import Order
from tracecode.sales.tests.factories import make_customer, move

from .helpers import ORDER_CNY, confirmed_order, days, draft_order, limited_customer

pytestmark = pytest.mark.django_db


def test_exposure_counts_confirmed_orders_and_the_order_at_hand_in_the_base_currency(alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    at_hand = draft_order(customer)

    figures = credit.exposure_of(customer, at_hand)

    assert figures.currency == "CNY"
    assert figures.not_invoiced == ORDER_CNY
    assert figures.receivables == 0
    assert figures.this_order == ORDER_CNY
    assert figures.total == 2 * ORDER_CNY
    assert figures.headroom == Decimal("20000") - 2 * ORDER_CNY


def test_a_shipped_order_is_an_open_receivable_until_it_is_paid(alice):
    customer = limited_customer(alice)
    order = move(confirmed_order(customer), "start_production", "finish_production", "ship")

    assert credit.exposure_of(customer).receivables == ORDER_CNY
    move(order, "confirm_arrival", "reconcile", "mark_paid")
    assert credit.exposure_of(customer).total == 0


def test_an_order_within_the_limit_is_confirmed(alice):
    order = move(draft_order(limited_customer(alice)), "confirm")
    assert order.state == "confirmed"


def test_an_order_over_the_limit_is_refused_with_the_figures(alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    second = draft_order(customer)

    with pytest.raises(CreditBlocked) as refused:
        move(second, "confirm")

    assert "33,370.00" in refused.value.message  # the exposure
    assert "20,000.00" in refused.value.message  # the limit
    assert refused.value.fields["exposure"] == ["33370.00"]
    assert refused.value.fields["headroom"] == ["-13370.00"]
    assert Order.objects.get(pk=second.pk).state == "draft"


def test_a_customer_without_a_limit_is_not_limited(alice):
    customer = make_customer(alice)
    confirmed_order(customer)
    assert move(draft_order(customer), "confirm").state == "confirmed"


@override_settings(CREDIT_OVERDUE_DAYS=30)
def test_an_invoice_overdue_by_more_than_the_set_days_blocks_even_within_the_limit(alice):
    customer = limited_customer(alice, limit="1000000")
    confirmed_order(customer, payment_due_on=days(-31), ordered_on=days(-60))
    with pytest.raises(CreditBlocked, match="31 days overdue"):
        move(draft_order(customer), "confirm")


@override_settings(CREDIT_OVERDUE_DAYS=30)
def test_an_invoice_overdue_by_fewer_days_does_not_block(alice):
    customer = limited_customer(alice, limit="1000000")
    confirmed_order(customer, payment_due_on=days(-30), ordered_on=days(-60))
    assert move(draft_order(customer), "confirm").state == "confirmed"


def test_a_manager_releases_a_blocked_order_with_a_reason_and_it_is_confirmed(alice, manager):
    customer = limited_customer(alice)
    confirmed_order(customer)
    second = draft_order(customer)

    release = credit.release(second, user=manager, reason="Deposit of 30% received by L/C")

    assert release.exposure == 2 * ORDER_CNY
    assert release.limit == Decimal("20000")
    assert release.released_by == manager
    assert move(second, "confirm").state == "confirmed"


def test_a_release_does_not_cover_a_bigger_order(alice, manager):
    from tracecode.sales import services
    from tracecode.sales.tests.factories import line

    customer = limited_customer(alice)
    confirmed_order(customer)
    second = draft_order(customer)
    credit.release(second, user=manager, reason="Known customer")
    services.save_order(second, version=second.version, fields=[], lines=[line(quantity="2000")])

    with pytest.raises(CreditBlocked):
        move(Order.objects.get(pk=second.pk), "confirm")


def test_a_release_needs_a_reason(alice, manager):
    customer = limited_customer(alice)
    confirmed_order(customer)
    with pytest.raises(ValidationError):
        credit.release(draft_order(customer), user=manager, reason="  ")


def test_an_order_within_its_credit_has_nothing_to_release(alice, manager):
    with pytest.raises(ValidationError, match="nothing to release"):
        credit.release(draft_order(limited_customer(alice)), user=manager, reason="Why not")


def test_the_salesperson_cannot_release_her_own_block(alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    with pytest.raises(PermissionDenied):
        credit.release(draft_order(customer), user=alice, reason="Trust me")


def test_a_user_with_the_credit_control_permission_may_release(alice, bob):
    from django.contrib.auth.models import Permission

    bob.user_permissions.add(Permission.objects.get(codename="control_credit"))
    customer = limited_customer(bob)
    confirmed_order(customer)
    bob = type(bob).objects.get(pk=bob.pk)  # permissions are cached per instance

    assert credit.release(draft_order(customer), user=bob, reason="Director approved").pk


def test_bob_cannot_release_alices_customers_block_even_with_the_permission(alice, bob):
    from django.contrib.auth.models import Permission

    bob.user_permissions.add(Permission.objects.get(codename="control_credit"))
    bob = type(bob).objects.get(pk=bob.pk)
    customer = limited_customer(alice)
    confirmed_order(customer)
    with pytest.raises(PermissionDenied):
        credit.release(draft_order(customer), user=bob, reason="Not mine")


def test_a_review_sets_the_customers_level_and_limit(alice, manager):
    customer = limited_customer(alice)
    version = customer.version
    credit.assess(
        customer,
        user=manager,
        values={
            "level": "C",
            "limit": Decimal("50000"),
            "financial_state": "Audited accounts 2025: healthy",
            "reviewed_on": datetime.date(2026, 1, 5),
            "next_review_on": datetime.date(2026, 7, 5),
        },
    )
    customer.refresh_from_db()
    assert (customer.credit_level, customer.credit_limit) == ("C", Decimal("50000"))
    assert customer.version == version + 1
    assert credit.latest_assessment(customer).reviewed_by == manager


def test_a_salesperson_cannot_review_credit(alice):
    with pytest.raises(PermissionDenied):
        credit.assess(limited_customer(alice), user=alice, values={"level": "A"})
