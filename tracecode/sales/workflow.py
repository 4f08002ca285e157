"""The sales records' workflows as data (Tryton style): for orders, projects, quotations and
complaints, the moves between their states, their guards and effects, in one table each.

`tracecode.core.workflow.Workflow.perform()` is the one function that moves a record, and it
records who and when in the record's history. A move the table does not allow, or whose
guards are not satisfied, raises `IllegalTransition`, which every interface shows the same
way (a message in the browser, 409 in the API).

Orders:
    draft ─confirm→ confirmed ─start_production→ in production ─finish_production→ ready
      ─ship→ shipped ─confirm_arrival→ arrived ─reconcile→ reconciled ─mark_paid→ paid
      ─close→ closed
    draft, confirmed, in production, ready ─cancel→ cancelled (the number stays used)
Projects (enquiries): moved on by what happens to them, never back; won and lost by hand.
    new ─quote→ quoting ─sample→ sampling ─mass_produce→ mass production   (automatic)
    any of those ─win→ won, ─lose→ lost (with the reason); won, lost ─reopen→ quoting
Quotations:
    draft, sent ─issue→ sent (each issue a new revision) ─accept→ accepted, ─decline→ declined
Complaints:
    open ─close→ closed ─reopen→ open
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import services as codes
from tracecode.core.workflow import IllegalTransition, Transition, Workflow

from . import guards
from .models import (
    Complaint,
    ComplaintEvent,
    MaterialLot,
    Order,
    OrderEvent,
    Project,
    ProjectEvent,
    Quotation,
    QuotationEvent,
)
from .models import OrderState as S
from .trade import format_money

PROCESSING = Order.Kind.PROCESSING

__all__ = ["IllegalTransition", "Transition"]


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


# Orders -----------------------------------------------------------------------------------

# What the timeline says of things done on the order; translated when shown, not when saved.
ORDER_TEXTS = {
    "created": gettext_lazy("Order entered"),
    "changed": gettext_lazy("Changed: %(changes)s"),
    "imported": gettext_lazy("Imported from %(file)s"),
    "payment": gettext_lazy("Payment received: %(amount)s"),
    "document": gettext_lazy("%(document)s %(number)s version %(version)s generated"),
    "complaint": gettext_lazy("Complaint %(number)s received"),
    "material": gettext_lazy("Material received: %(part)s lot %(lot)s"),
    "iqc": gettext_lazy("IQC of lot %(lot)s: %(result)s"),
    "repair": gettext_lazy("Goods received for repair"),
    "checkpoint": gettext_lazy("Done: %(checkpoint)s"),
    "shipping": gettext_lazy("Shipping and customs details changed: %(changes)s"),
    "payment_changed": gettext_lazy("Payment of %(received_on)s changed: %(changes)s"),
    "payment_removed": gettext_lazy("Payment of %(received_on)s taken back: %(amount)s"),
    "contract": gettext_lazy("Sales contract %(code)s issued"),
    "signed": gettext_lazy("%(code)s: %(changes)s"),
    "write_off": gettext_lazy("Written off: %(amount)s"),
    "credit": gettext_lazy("Overpaid: %(amount)s kept as the customer's credit"),
    "credit_used": gettext_lazy("Settled with the customer's credit: %(amount)s"),
}


def order_details(event) -> dict:
    """The names an order event keeps (a checkpoint, an IQC result), as labels."""
    data = dict(event.data or {})
    if event.action == "checkpoint" and data.get("name") in CHECKPOINTS:
        data["checkpoint"] = CHECKPOINTS[data["name"]].label
    if event.action == "iqc" and data.get("result") in MaterialLot.Result.values:
        data["result"] = MaterialLot.Result(data["result"]).label
    return data


ORDER = Workflow(
    Order,
    [
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
    ],
    events=OrderEvent,
    subject="order",
    texts=ORDER_TEXTS,
    details=order_details,
    related=("project",),
    checks=guards.check,  # other apps' conditions (care: credit control on confirming)
)

# The order's table and mover by their old names: tests and callers read them.
TRANSITIONS = ORDER.transitions
get = ORDER.get
available = ORDER.available
state_label = ORDER.state_label
check_source = ORDER.check_source
check_guards = ORDER.check_guards
perform = ORDER.perform
record = ORDER.record
record_many = ORDER.record_many


# Projects ---------------------------------------------------------------------------------

P = Project.Status
OPEN_PROJECT = (P.NEW, P.QUOTING, P.SAMPLING, P.MASS_PRODUCTION)

PROJECT = Workflow(
    Project,
    [
        Transition("quote", (P.NEW,), P.QUOTING, gettext_lazy("Quotation sent"), automatic=True),
        Transition(
            "sample", (P.NEW, P.QUOTING), P.SAMPLING, gettext_lazy("Sample ordered"), automatic=True
        ),
        Transition(
            "mass_produce",
            (P.NEW, P.QUOTING, P.SAMPLING),
            P.MASS_PRODUCTION,
            gettext_lazy("Mass order received"),
            automatic=True,
        ),
        Transition("win", OPEN_PROJECT, P.WON, gettext_lazy("Won")),
        Transition("lose", OPEN_PROJECT, P.LOST, gettext_lazy("Lost"), fields=("lost_reason",)),
        Transition("reopen", (P.WON, P.LOST), P.QUOTING, gettext_lazy("Reopen")),
    ],
    events=ProjectEvent,
    subject="project",
    field="status",
    texts={
        "created": gettext_lazy("Enquiry received"),
        "lose": gettext_lazy("Lost: %(lost_reason)s"),
    },
)


def advance(project, status: str, *, user=None) -> None:
    """Move a project on by itself (quoting, sampling, mass production), never back.

    Won and lost are the merchandiser's to set and are never changed here.
    """
    for move in PROJECT.available(project, automatic=True):
        if move.automatic and move.target == status:
            try:
                PROJECT.perform(project, move.action, user=user)
            except IllegalTransition:
                project.refresh_from_db()  # moved on meanwhile: it never goes back
            return


def advance_many(projects, status: str, *, user=None) -> None:
    """advance() for several projects (an import's chunk), in order, each once: those the
    table moves on to `status` moved together (Workflow.perform_many)."""
    by_action: dict[str, list] = {}
    for project in projects:
        for move in PROJECT.available(project, automatic=True):
            if move.automatic and move.target == status:
                by_action.setdefault(move.action, []).append(project)
                break
    for action, moving in by_action.items():
        PROJECT.perform_many(moving, action, user=user)


# Quotations -------------------------------------------------------------------------------

Q = Quotation.Status


def quotation_lines_entered(quotation) -> list[str]:
    if not quotation.lines.exists():
        return [_("add at least one line before sending the quotation")]
    return []


def issue_revision(quotation, user) -> dict:
    """Freeze what is sent: a new revision and its PDF (DocumentError: nothing is saved)."""
    from .services import new_revision  # the services build on these tables

    return {"revision": new_revision(quotation, user=user).number}


def project_quoting(quotation, user) -> None:
    advance(quotation.project, P.QUOTING, user=user)


QUOTATION = Workflow(
    Quotation,
    [
        Transition(
            "issue",
            (Q.DRAFT, Q.SENT),
            Q.SENT,
            gettext_lazy("Issue to the customer (PDF)"),
            guards=(quotation_lines_entered,),
            effects=(issue_revision, project_quoting),
        ),
        Transition("accept", (Q.SENT,), Q.ACCEPTED, gettext_lazy("Accepted")),
        Transition("decline", (Q.SENT,), Q.DECLINED, gettext_lazy("Declined")),
    ],
    events=QuotationEvent,
    subject="quotation",
    field="status",
    texts={
        "created": gettext_lazy("Quotation entered"),
        "changed": gettext_lazy("Changed: %(changes)s"),
        "issue": gettext_lazy("Revision %(revision)s sent to the customer"),
    },
    related=("project",),
)


# Complaints -------------------------------------------------------------------------------

C = Complaint.State


def complaint_settled(complaint) -> list[str]:
    """Closed once analysed, corrected and the customer told the result."""
    missing = []
    if not complaint.cause_analysis.strip():
        missing.append(_("the cause analysis"))
    if not complaint.corrective_action.strip():
        missing.append(_("the corrective action"))
    if complaint.result_told_on is None:
        missing.append(_("the date the customer was told the result"))
    if missing:
        return [_("fill in %(missing)s") % {"missing": ", ".join(missing)}]
    return []


def stamp_closed(complaint, user) -> None:
    complaint.closed_on = complaint.closed_on or timezone.localdate()
    complaint.closed_by = user if user is not None and user.pk else None
    complaint.save(update_fields=["closed_on", "closed_by"])


def clear_closed(complaint, user) -> None:
    complaint.closed_on = complaint.closed_by = None
    complaint.save(update_fields=["closed_on", "closed_by"])


COMPLAINT = Workflow(
    Complaint,
    [
        Transition(
            "close",
            (C.OPEN,),
            C.CLOSED,
            gettext_lazy("Close"),
            fields=("closed_on",),
            guards=(complaint_settled,),
            effects=(stamp_closed,),
        ),
        Transition("reopen", (C.CLOSED,), C.OPEN, gettext_lazy("Reopen"), effects=(clear_closed,)),
    ],
    events=ComplaintEvent,
    subject="complaint",
    texts={"recorded": gettext_lazy("Complaint recorded")},
    related=("order",),
)


WORKFLOWS = {Order: ORDER, Project: PROJECT, Quotation: QUOTATION, Complaint: COMPLAINT}


def of(record) -> Workflow:
    """The workflow that moves `record`."""
    return WORKFLOWS[type(record)]


def describe(event) -> str:
    """One line for a history entry of any sales record, in the reader's language."""
    return event.text
