"""Order to cash as data (Tryton style): the moves between states, their guards, one mover.

`TRANSITIONS` is the one table of what may happen to an order; `perform()` is the one
function that moves an order, and it records who and when in the order's timeline. A move
the table does not allow, or whose guards are not satisfied, raises `IllegalTransition`,
which every interface shows the same way (a message in the browser, 409 in the API).

    draft ─confirm→ confirmed ─start_production→ in production ─finish_production→ ready
      ─ship→ shipped ─confirm_arrival→ arrived ─reconcile→ reconciled ─mark_paid→ paid
      ─close→ closed
    draft, confirmed, in production, ready ─cancel→ cancelled (the number stays used)
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import services as codes

from .models import MaterialLot, Order, OrderEvent
from .models import OrderState as S
from .trade import format_money

PROCESSING = Order.Kind.PROCESSING


class IllegalTransition(Exception):
    """A move the workflow does not allow now; the message says why."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


@dataclass(frozen=True)
class CheckpointRule:
    """A step that is ticked off on the order (who, when) before it may move on."""

    name: str
    label: str
    states: tuple[str, ...]  # while the order is in one of these it may be ticked
    kinds: tuple[str, ...] = ()  # the order kinds it applies to; empty: all

    def applies_to(self, order) -> bool:
        return not self.kinds or order.kind in self.kinds


CHECKPOINTS = {
    c.name: c
    for c in [
        CheckpointRule(
            "contract_review", gettext_lazy("Contract review"), (S.DRAFT,), (PROCESSING,)
        ),
        CheckpointRule(
            "processing_agreement",
            gettext_lazy("Processing agreement signed"),
            (S.DRAFT,),
            (PROCESSING,),
        ),
        CheckpointRule(
            "production_notified", gettext_lazy("Production notified"), (S.DRAFT, S.CONFIRMED)
        ),
        CheckpointRule("stock_checked", gettext_lazy("Stock checked"), (S.DRAFT, S.CONFIRMED)),
        CheckpointRule(
            "material_prepared", gettext_lazy("Material prepared"), (S.DRAFT, S.CONFIRMED)
        ),
    ]
}

Guard = Callable[[Order], list[str]]


def lines_entered(order) -> list[str]:
    if not order.lines.exists():
        return [_("the order has no lines")]
    return []


def bom_entered(order) -> list[str]:
    if order.is_processing and not order.bom_lines.exists():
        return [_("the customer's BOM is not entered")]
    return []


def checkpoints_done(*names: str) -> Guard:
    """A guard: the named checkpoints that apply to the order are ticked off."""

    def guard(order) -> list[str]:
        done = set(order.checkpoints.values_list("name", flat=True))
        return [
            _("“%(checkpoint)s” is not done") % {"checkpoint": CHECKPOINTS[name].label}
            for name in names
            if CHECKPOINTS[name].applies_to(order) and name not in done
        ]

    return guard


def customer_material_accepted(order) -> list[str]:
    """Processing orders: every customer-supplied material has a lot accepted by IQC."""
    if not order.is_processing:
        return []
    problems = []
    lots = list(order.material_lots.select_related("bom_line"))
    for line in order.bom_lines.filter(supplied_by="customer"):
        mine = [lot for lot in lots if lot.bom_line_id == line.pk]
        if not any(lot.result in MaterialLot.ACCEPTED for lot in mine):
            problems.append(
                _("no lot of %(part)s has passed incoming inspection (IQC)")
                % {"part": line.part_number}
            )
    waiting = [lot.lot_number for lot in lots if lot.result == MaterialLot.Result.PENDING]
    if waiting:
        problems.append(_("lots waiting for IQC: %(lots)s") % {"lots": ", ".join(waiting)})
    return problems


def fully_paid(order) -> list[str]:
    if order.balance > 0:
        return [
            _("%(balance)s is still to be paid")
            % {"balance": format_money(order.balance, order.currency)}
        ]
    return []


def cancel_code(order, user) -> None:
    """A cancelled order keeps its number; the registry marks the number cancelled."""
    codes.cancel(order.code, user=user, reason=order.cancel_reason)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: str
    fields: tuple[str, ...] = ()  # what the move records on the order; all required
    guards: tuple[Guard, ...] = ()
    effects: tuple[Callable, ...] = ()  # run after the move, in its transaction


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "confirm",
            (S.DRAFT,),
            S.CONFIRMED,
            gettext_lazy("Confirm order"),
            fields=("confirmed_on",),
            guards=(
                lines_entered,
                bom_entered,
                checkpoints_done("contract_review", "processing_agreement"),
            ),
        ),
        Transition(
            "start_production",
            (S.CONFIRMED,),
            S.IN_PRODUCTION,
            gettext_lazy("Start production"),
            guards=(
                checkpoints_done("production_notified", "stock_checked", "material_prepared"),
                customer_material_accepted,
            ),
        ),
        Transition("finish_production", (S.IN_PRODUCTION,), S.READY, gettext_lazy("Ready to ship")),
        Transition(
            "ship",
            (S.READY,),
            S.SHIPPED,
            gettext_lazy("Ship"),
            fields=("carrier", "tracking_number", "etd", "eta", "eta_told_on"),
        ),
        Transition(
            "confirm_arrival",
            (S.SHIPPED,),
            S.ARRIVED,
            gettext_lazy("Confirm arrival with the customer"),
            fields=("arrived_on",),
        ),
        Transition("reconcile", (S.ARRIVED,), S.RECONCILED, gettext_lazy("Reconcile")),
        Transition(
            "mark_paid", (S.RECONCILED,), S.PAID, gettext_lazy("Mark paid"), guards=(fully_paid,)
        ),
        Transition("close", (S.PAID,), S.CLOSED, gettext_lazy("Close")),
        Transition(
            "cancel",
            (S.DRAFT, S.CONFIRMED, S.IN_PRODUCTION, S.READY),
            S.CANCELLED,
            gettext_lazy("Cancel order"),
            fields=("cancel_reason",),
            effects=(cancel_code,),
        ),
    ]
}


def get(action: str) -> Transition:
    """The transition called `action`, or IllegalTransition for an unknown one."""
    if action not in TRANSITIONS:
        raise IllegalTransition(_("There is no move called “%(action)s”.") % {"action": action})
    return TRANSITIONS[action]


def available(order) -> list[Transition]:
    """The moves the table allows from the order's state (their guards not yet checked)."""
    return [t for t in TRANSITIONS.values() if order.state in t.sources]


def state_label(state: str) -> str:
    return str(S(state).label)


def check_source(order, transition: Transition) -> None:
    """Refuse a move the table does not allow from the order's state."""
    if order.state in transition.sources:
        return
    sources = " / ".join(state_label(s) for s in transition.sources)
    raise IllegalTransition(
        _("%(code)s is %(state)s: “%(action)s” is only possible when it is %(sources)s.")
        % {
            "code": order.code,
            "state": state_label(order.state),
            "action": transition.label,
            "sources": sources,
        }
    )


def check_guards(order, transition: Transition) -> None:
    """Refuse a move whose conditions are not met, naming every missing one."""
    problems = [problem for guard in transition.guards for problem in guard(order)]
    if problems:
        raise IllegalTransition(
            _("%(code)s: “%(action)s” is not possible yet: %(problems)s.")
            % {"code": order.code, "action": transition.label, "problems": "; ".join(problems)},
            problems,
        )


def perform(order, action: str, *, user, values: dict | None = None, note: str = "") -> Order:
    """Move the order by `action`, recording `values`, who and when; returns the saved order.

    The order row is locked and re-read first, so two people moving the same order one
    after the other see each other's move (the second is refused if no longer allowed).
    """
    transition = get(action)
    with transaction.atomic():
        current = Order.objects.select_for_update().select_related("project").get(pk=order.pk)
        check_source(current, transition)
        for name in transition.fields:
            setattr(current, name, (values or {}).get(name))
        check_guards(current, transition)
        from_state = current.state
        current.state = transition.target
        current.version += 1  # a form opened before the move is now stale
        current.save(update_fields=["state", "version", *transition.fields])
        OrderEvent.objects.create(
            order=current,
            action=action,
            from_state=from_state,
            to_state=current.state,
            note=note,
            by=user if user is not None and user.pk else None,
        )
        for effect in transition.effects:
            effect(current, user)
    return current


# What the timeline says of things done on the order; translated when shown, not when saved.
EVENT_TEXTS = {
    "created": gettext_lazy("Order entered"),
    "payment": gettext_lazy("Payment received: %(amount)s"),
    "document": gettext_lazy("%(document)s %(number)s version %(version)s generated"),
    "complaint": gettext_lazy("Complaint %(number)s received"),
    "material": gettext_lazy("Material received: %(part)s lot %(lot)s"),
    "iqc": gettext_lazy("IQC of lot %(lot)s: %(result)s"),
    "repair": gettext_lazy("Goods received for repair"),
    "checkpoint": gettext_lazy("Done: %(checkpoint)s"),
    "shipping": gettext_lazy("Shipping and customs details changed"),
    "contract": gettext_lazy("Sales contract %(code)s issued"),
    "write_off": gettext_lazy("Written off: %(amount)s"),
    "credit": gettext_lazy("Overpaid: %(amount)s kept as the customer's credit"),
    "credit_used": gettext_lazy("Settled with the customer's credit: %(amount)s"),
}


def record(order, action: str, *, user, note: str = "", **data) -> OrderEvent:
    """Put something done on the order (a payment, a document, a checkpoint) in its timeline."""
    return OrderEvent.objects.create(
        order=order,
        action=action,
        from_state=order.state,
        to_state=order.state,
        data=data,
        note=note,
        by=user if user is not None and user.pk else None,
    )


def describe(event) -> str:
    """One line for a timeline entry, in the reader's language."""
    if event.action in TRANSITIONS:
        return str(TRANSITIONS[event.action].label)
    data = dict(event.data or {})
    if event.action == "checkpoint" and data.get("name") in CHECKPOINTS:
        data["checkpoint"] = CHECKPOINTS[data["name"]].label
    if event.action == "iqc" and data.get("result") in MaterialLot.Result.values:
        data["result"] = MaterialLot.Result(data["result"]).label
    text = EVENT_TEXTS.get(event.action)
    if text is None:
        return event.action
    try:
        return str(text) % data
    except (KeyError, TypeError, ValueError):
        return str(text).split(":")[0]
