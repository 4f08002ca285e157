"""What an order must make sense of: dates, money, quantities, prefilled requirements."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from tracecode.sales import services
from tracecode.sales.forms import OrderForm, OrderLineForm
from tracecode.sales.models import Order

from .factories import days, make_customer, make_order, make_project, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(alice):
    customer = make_customer(
        alice,
        packaging_requirements="Blister trays, 50 pcs per tray, export carton",
        inspection_requirements="AQL 0.65, first article report with each lot",
        payment_requirements="30% T/T deposit, 70% against B/L copy",
    )
    return make_project(customer)


def order_form(project, kind="sample", **data):
    initial = services.order_initial(project, kind)
    values = {**initial, "delivery_date": days(30), "currency": "USD", "incoterm": "FOB", **data}
    return OrderForm({k: v for k, v in values.items() if v is not None}, kind=kind)


def test_an_order_starts_from_the_customers_requirements(project):
    initial = services.order_initial(project, "mass")
    assert initial["packaging_requirements"].startswith("Blister trays")
    assert initial["inspection_requirements"].startswith("AQL 0.65")
    assert initial["payment_terms"] == "30% T/T deposit, 70% against B/L copy"


def test_the_delivery_date_must_come_after_the_order_date(project):
    form = order_form(project, ordered_on=today(), delivery_date=today())
    assert not form.is_valid()
    assert form.errors["delivery_date"] == ["The delivery date must be after the order date."]


def test_a_wrong_delivery_date_is_not_blamed_on_the_empty_internal_due_date(project):
    form = order_form(project, ordered_on=today(), delivery_date=days(-3), internal_due_date=None)
    assert not form.is_valid()
    assert form.errors == {"delivery_date": ["The delivery date must be after the order date."]}


@override_settings(INTERNAL_DUE_DAYS=7)
def test_the_internal_due_date_defaults_to_days_before_delivery(project):
    form = order_form(project, delivery_date=days(30))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["internal_due_date"] == days(23)
    order = make_order(project, delivery_date=days(30))
    assert order.internal_due_date == days(23)


def test_the_internal_due_date_never_falls_before_the_order_date(project):
    order = make_order(project, ordered_on=today(), delivery_date=days(2))
    assert order.internal_due_date == today()


def test_the_internal_due_date_cannot_be_after_the_delivery(project):
    form = order_form(project, delivery_date=days(30), internal_due_date=days(31))
    assert not form.is_valid()
    assert "internal_due_date" in form.errors


def test_quantities_and_prices_are_decimals_that_add_up_exactly(project):
    lines = [
        {
            "part_number": "SP1003",
            "quantity": Decimal("3"),
            "unit": "pcs",
            "unit_price": Decimal("0.1"),
        },
        {
            "part_number": "SP1004",
            "quantity": Decimal("1000"),
            "unit": "pcs",
            "unit_price": Decimal("0.0235"),
        },
    ]
    order = make_order(project, lines=lines, currency="EUR")
    assert order.total == Decimal("23.80")
    assert isinstance(order.total, Decimal) and order.currency == "EUR"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "0", "The quantity must be more than zero."),
        ("quantity", "-5", "The quantity must be more than zero."),
        ("unit_price", "-0.01", "A price cannot be negative."),
        ("quantity", "lots", "Enter a number."),
    ],
)
def test_a_line_refuses_nonsense(field, value, message):
    data = {"part_number": "SP1003", "quantity": "10", "unit": "pcs", "unit_price": "2.35"}
    form = OrderLineForm({**data, field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_currency_must_be_iso_4217(project):
    form = order_form(project, currency="XYZ")
    assert not form.is_valid() and "currency" in form.errors


def test_a_free_sample_costs_nothing_and_is_paid(project, alice):
    order = make_order(
        project,
        lines=[
            {
                "part_number": "SP1003",
                "quantity": Decimal("5"),
                "unit": "pcs",
                "unit_price": Decimal("0"),
            }
        ],
    )
    assert order.total == 0 and order.balance == 0


def test_the_eta_must_be_after_the_etd(project, alice):
    from .factories import order_in

    order = order_in("ready", project)
    data = {
        "carrier": "Maersk",
        "tracking_number": "MAEU123456789",
        "etd": days(0),
        "eta": days(0),
        "eta_told_on": today(),
    }
    with pytest.raises(services.FormErrors) as invalid:
        services.transition(order, "ship", user=alice, data=data)
    assert invalid.value.message_dict == {"eta": ["The ETA must be after the ETD."]}


def test_goods_cannot_arrive_before_they_left(project, alice):
    from .factories import order_in

    order = order_in("shipped", project)
    with pytest.raises(services.FormErrors) as invalid:
        services.transition(
            order,
            "confirm_arrival",
            user=alice,
            data={"arrived_on": today() - datetime.timedelta(1)},
        )
    assert "arrived_on" in invalid.value.message_dict


def test_lines_are_fixed_once_production_starts(project, alice):
    from .factories import order_in

    order = order_in("in_production", project)
    with pytest.raises(Exception, match="fixed once production has started"):
        services.save_order(order, version=order.version, fields=["notes"], lines=[])
    assert Order.objects.get(pk=order.pk).lines.count() == 1
