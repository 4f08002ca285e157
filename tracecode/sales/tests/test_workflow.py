"""Every move of the order workflow, allowed from its states and refused from the others."""

import pytest
from django.utils import timezone

from tracecode.codes.models import CodeEntry
from tracecode.sales import services, workflow
from tracecode.sales.models import Order, OrderEvent, OrderState

from .factories import MOVE_DATA, PATH_TO, make_customer, make_order, make_project, order_in

pytestmark = pytest.mark.django_db

ALLOWED = [(t.action, s) for t in workflow.TRANSITIONS.values() for s in t.sources]
REFUSED = [
    (t.action, s)
    for t in workflow.TRANSITIONS.values()
    for s in OrderState.values
    if s not in t.sources
]


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice))


def pay_in_full_before_reconciling(order, user):
    """A customer who paid before the statement: the order waits at `reconciled` for its move."""
    services.record_payment(order, user=user, values={"amount": order.balance})


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_each_move_is_allowed_from_its_states(project, alice, action, state):
    order = order_in("arrived" if state == "reconciled" else state, project)
    if state == "reconciled":
        pay_in_full_before_reconciling(order, alice)
        order = services.transition(order, "reconcile", user=alice)
        assert order.state == "reconciled"
    if action == "start_production":
        for name in ("production_notified", "stock_checked", "material_prepared"):
            services.tick_checkpoint(order, name, user=alice)
    moved = services.transition(order, action, user=alice, data=MOVE_DATA.get(action, dict)())
    assert moved.state == workflow.TRANSITIONS[action].target
    assert Order.objects.get(pk=order.pk).state == moved.state


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_each_move_is_refused_from_other_states(project, alice, action, state):
    order = order_in(state, project)
    with pytest.raises(workflow.IllegalTransition) as refused:
        services.transition(order, action, user=alice, data=MOVE_DATA.get(action, dict)())
    assert order.code in refused.value.message
    assert str(OrderState(state).label) in refused.value.message
    assert Order.objects.get(pk=order.pk).state == state


def test_a_cancelled_order_cannot_ship(project, alice):
    order = order_in("cancelled", project)
    with pytest.raises(workflow.IllegalTransition) as refused:
        services.transition(order, "ship", user=alice, data=MOVE_DATA["ship"]())
    assert "is cancelled" in refused.value.message and "ready to ship" in refused.value.message


def test_an_unknown_move_is_refused_by_name(project, alice):
    order = make_order(project)
    with pytest.raises(workflow.IllegalTransition, match="no move called “teleport”"):
        services.transition(order, "teleport", user=alice)


def test_an_order_without_lines_cannot_be_confirmed(project, alice):
    order = make_order(project, lines=[])
    with pytest.raises(workflow.IllegalTransition, match="the order has no lines"):
        services.transition(order, "confirm", user=alice, data=MOVE_DATA["confirm"]())


def test_production_waits_for_its_checkpoints_and_names_the_missing_ones(project, alice):
    order = order_in("confirmed", project)
    services.tick_checkpoint(order, "production_notified", user=alice)
    with pytest.raises(workflow.IllegalTransition) as refused:
        services.transition(order, "start_production", user=alice)
    assert refused.value.problems == [
        "“Stock checked” is not done",
        "“Material prepared” is not done",
    ]


def test_an_order_is_not_marked_paid_with_a_balance_open(project, alice):
    order = order_in("reconciled", project)
    with pytest.raises(workflow.IllegalTransition, match="USD 2,350.00 is still to be paid"):
        services.transition(order, "mark_paid", user=alice)


def test_every_move_is_in_the_timeline_with_who_and_when(project, alice):
    order = order_in("closed", project)
    moves = list(order.events.exclude(action__in=["created", "checkpoint", "payment"]))
    assert [e.action for e in moves] == PATH_TO["closed"]
    assert all(e.by == alice and e.at <= timezone.now() for e in moves)
    assert [(e.from_state, e.to_state) for e in moves][:2] == [
        ("draft", "confirmed"),
        ("confirmed", "in_production"),
    ]


def test_a_move_records_what_it_needs_and_a_note(project, alice):
    order = order_in("ready", project)
    data = {**MOVE_DATA["ship"](), "note": "Booked on DHL, pickup 15:00"}
    order = services.transition(order, "ship", user=alice, data=data)
    assert (order.carrier, order.tracking_number) == ("DHL Express", "1234567890")
    event = OrderEvent.objects.filter(order=order, action="ship").get()
    assert event.note == "Booked on DHL, pickup 15:00"


def test_shipping_needs_carrier_tracking_and_dates(project, alice):
    order = order_in("ready", project)
    with pytest.raises(services.FormErrors) as invalid:
        services.transition(order, "ship", user=alice, data={"carrier": "DHL"})
    assert set(invalid.value.message_dict) == {"tracking_number", "etd", "eta", "eta_told_on"}
    assert Order.objects.get(pk=order.pk).state == "ready"


def test_a_move_makes_an_open_edit_form_stale(project, alice):
    order = make_order(project)
    before = order.version
    moved = services.transition(order, "confirm", user=alice, data=MOVE_DATA["confirm"]())
    assert moved.version == before + 1


def test_cancelling_keeps_the_number_and_marks_it_cancelled_in_the_registry(project, alice):
    order = order_in("cancelled", project)
    assert Order.objects.get(pk=order.pk).code == order.code
    entry = CodeEntry.objects.get(code=order.code)
    assert entry.is_cancelled and entry.cancel_reason == "Customer withdrew the project"
    second = make_order(project)
    assert second.code.endswith("-S2")  # the cancelled S1 is never given again


def test_the_move_table_is_the_one_described(project):
    assert workflow.TRANSITIONS["cancel"].sources == (
        "draft",
        "confirmed",
        "in_production",
        "ready",
    )
    targets = {t.action: t.target for t in workflow.TRANSITIONS.values()}
    assert targets["ship"] == "shipped" and targets["close"] == "closed"
