"""The rules of order leads, one function per move; views, the API and the demo call these.

The moves are data (`MOVES`): from which states each is allowed, who may make it, and what
it records. `_move()` is the one function that changes a lead's state; every move writes one
line of the lead's history. A refused move raises `LeadRefused`, shown alike by every
interface (a message on the page, 409 in the API; 403 when the person may not make it).

    reported ─accept→ accepted ─convert→ converted (a customer and an enquiry)
             ─reject→ rejected         ─lose→ lost
    accepted: plan (again) and record results, any number of times
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import services as codes
from tracecode.customers import services as customers
from tracecode.customers.countries import BadPhone, to_e164
from tracecode.customers.duplicates import find_duplicates
from tracecode.customers.models import Contact, Customer
from tracecode.sales import services as sales
from tracecode.sales.models import Order, OrderState, Project

from .models import Lead, LeadEvent, LeadFiling

SCHEME = "lead"
SCHEME_FILE = Path(__file__).with_name("schemes.toml")
S = Lead.State


class LeadRefused(Exception):
    """A move the lead's state or the person's role does not allow; the message says why."""

    status = 409

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class NotAllowed(LeadRefused):
    status = 403


class LooksLikeACustomer(LeadRefused):
    """The prospect looks like customers the user may see: pick one or create it anyway."""

    def __init__(self, duplicates):
        names = ", ".join(f"{d.customer.code} {d.customer.company_name}" for d in duplicates)
        super().__init__(
            _("The prospect looks like %(customers)s: choose that customer or create it anyway.")
            % {"customers": names},
            "customer",
        )
        self.duplicates = duplicates


A = LeadEvent.Action


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str | None  # None: the state stays
    who: str  # "manager" or "follower"
    label: str
    event: str  # the line it writes in the lead's history


MOVES = {
    "accept": Move((S.REPORTED,), S.ACCEPTED, "manager", gettext_lazy("Accept"), A.ACCEPTED),
    "reject": Move((S.REPORTED,), S.REJECTED, "manager", gettext_lazy("Reject"), A.REJECTED),
    "plan": Move((S.ACCEPTED,), None, "manager", gettext_lazy("Plan the follow-up"), A.PLANNED),
    "result": Move((S.ACCEPTED,), None, "follower", gettext_lazy("Record a result"), A.RESULT),
    "convert": Move((S.ACCEPTED,), S.CONVERTED, "follower", gettext_lazy("Make it an enquiry"),
                    A.CONVERTED),
    "lose": Move((S.ACCEPTED,), S.LOST, "follower", gettext_lazy("Close as lost"), A.LOST),
}  # fmt: skip

# The project channel a lead's source becomes when the lead turns into an enquiry.
CHANNELS = {
    "platform": Project.Channel.PLATFORM,
    "website": Project.Channel.WEBSITE,
    "trade-show": Project.Channel.TRADE_SHOW,
    "referral": Project.Channel.REFERRAL,
}


def lead_scheme():
    """The `lead` scheme in force, added from schemes.toml the first time it is needed."""
    if SCHEME not in codes.schemes():  # installs the default preset first on an empty table
        codes.load_scheme_file(SCHEME_FILE.read_text(encoding="utf-8"))
    return codes.scheme(SCHEME)


def is_manager(user) -> bool:
    return user.can_write and user.sees_everything


def may(user, lead: Lead, action: str) -> bool:
    """Whether `user` may make the move `action` on `lead` (its state aside)."""
    if not user.can_write:
        return False
    if MOVES[action].who == "manager":
        return is_manager(user)
    return is_manager(user) or user.pk in (lead.assigned_to_id, lead.reported_by_id)


def may_edit(user, lead: Lead) -> bool:
    """The reporter changes a lead until it is evaluated; a manager while it is open."""
    if not user.can_write or not lead.is_open:
        return False
    return is_manager(user) or (lead.state == S.REPORTED and lead.reported_by_id == user.pk)


def allowed_moves(user, lead: Lead) -> list[str]:
    return [a for a, m in MOVES.items() if lead.state in m.sources and may(user, lead, a)]


def _event(lead, action, *, user, note="", at=None, **data) -> LeadEvent:
    return LeadEvent.objects.create(
        lead=lead,
        action=action,
        note=note,
        data=data,
        by=user if user is not None and user.pk else None,
        at=at or timezone.now(),
    )


def _move(lead: Lead, action: str, *, user, fields=(), note="", at=None, **data) -> Lead:
    """Check the move against MOVES, apply it to the locked lead and write its history."""
    move = MOVES[action]
    if not may(user, lead, action):
        raise NotAllowed(_("You may not do this with lead %(code)s.") % {"code": lead.code})
    with transaction.atomic():
        current = Lead.objects.select_for_update().get(pk=lead.pk)
        if current.state not in move.sources:
            raise LeadRefused(
                _("Lead %(code)s is %(state)s: “%(move)s” is not possible now.")
                % {"code": current.code, "state": current.get_state_display(), "move": move.label}
            )
        for name in fields:
            setattr(current, name, getattr(lead, name))
        if move.target is not None:
            current.state = move.target
        current.version += 1
        current.save(update_fields=["state", "version", *fields])
        _event(current, move.event, user=user, note=note, at=at, **data)
    for name in ("state", "version", *fields):
        setattr(lead, name, getattr(current, name))
    return lead


def _check_customer(user, customer) -> None:
    if customer is not None and not Customer.objects.visible_to(user).filter(pk=customer.pk):
        raise LeadRefused(_("Choose a customer you may see."), "customer")


def report_lead(lead: Lead, *, user) -> Lead:
    """A new lead, coded by the `lead` scheme (LD2026-007) from the day it was reported."""
    if not user.can_write:
        raise NotAllowed(_("Your role may not report leads."))
    _check_customer(user, lead.customer)
    lead.reported_by = user
    lead.assigned_to = lead.assigned_to or user
    sch = lead_scheme()
    with transaction.atomic():
        codes.create_with_code(
            lead, SCHEME, user=user, date=lead.reported_on if sch.needs_date else None
        )
        LeadFiling.objects.create(lead=lead, code=lead.code)
        _event(lead, LeadEvent.Action.REPORTED, user=user, note=lead.details)
    return lead


def save_lead(lead: Lead, *, user, version: int, fields: list[str]) -> Lead:
    """Save an edited lead (StaleEdit when someone saved in between) and note it."""
    from tracecode.core.concurrency import save_versioned

    if not may_edit(user, lead):
        raise NotAllowed(_("Lead %(code)s is no longer changed by you.") % {"code": lead.code})
    _check_customer(user, lead.customer)
    with transaction.atomic():
        save_versioned(lead, version, fields=fields)
        _event(lead, LeadEvent.Action.EDITED, user=user)
    return lead


def _check_follower(lead: Lead, follower) -> None:
    if follower is None or not follower.is_active or not follower.can_write:
        raise LeadRefused(_("Choose who follows the lead up."), "assigned_to")
    if lead.customer_id and not Customer.objects.visible_to(follower).filter(pk=lead.customer_id):
        raise LeadRefused(
            _("%(name)s may not see %(customer)s: share the customer first.")
            % {"name": follower.get_full_name() or follower.username, "customer": lead.customer},
            "assigned_to",
        )


def accept(lead, *, user, assigned_to, plan: str, follow_up_due, note: str = "") -> Lead:
    """A manager finds the lead worth following: who follows it up, how, and by when."""
    _check_follower(lead, assigned_to)
    lead.assigned_to, lead.plan, lead.follow_up_due = assigned_to, plan, follow_up_due
    lead.decided_by, lead.decided_on, lead.decision_note = user, timezone.localdate(), note
    fields = ("assigned_to", "plan", "follow_up_due", "decided_by", "decided_on", "decision_note")
    return _move(lead, "accept", user=user, fields=fields, note=note, plan=plan,
                 follow_up_due=_iso(follow_up_due), assigned_to=assigned_to.username)  # fmt: skip


def reject(lead, *, user, reason: str) -> Lead:
    """A manager finds the lead not worth following; the reason is kept."""
    if not reason.strip():
        raise LeadRefused(_("Give the reason for rejecting the lead."), "reason")
    lead.decided_by, lead.decided_on, lead.decision_note = user, timezone.localdate(), reason
    lead.closed_on = timezone.localdate()
    fields = ("decided_by", "decided_on", "decision_note", "closed_on")
    return _move(lead, "reject", user=user, fields=fields, note=reason)


def plan(lead, *, user, assigned_to, plan: str, follow_up_due) -> Lead:
    """A manager plans the follow-up again (another person, another date)."""
    _check_follower(lead, assigned_to)
    lead.assigned_to, lead.plan, lead.follow_up_due = assigned_to, plan, follow_up_due
    return _move(lead, "plan", user=user, fields=("assigned_to", "plan", "follow_up_due"),
                 note=plan, follow_up_due=_iso(follow_up_due),
                 assigned_to=assigned_to.username)  # fmt: skip


def record_result(lead, *, user, note: str, follow_up_due=None, on=None) -> Lead:
    """What the follow-up brought; optionally when to follow up next."""
    if not note.strip():
        raise LeadRefused(_("Say what the follow-up brought."), "note")
    fields = ()
    if follow_up_due is not None:
        lead.follow_up_due = follow_up_due
        fields = ("follow_up_due",)
    at = _moment(on) if on else None
    return _move(lead, "result", user=user, fields=fields, note=note, at=at)


def lose(lead, *, user, reason: str) -> Lead:
    """The lead came to nothing; why is kept."""
    if not reason.strip():
        raise LeadRefused(_("Say why the lead was lost."), "reason")
    lead.closing_note, lead.closed_on = reason, timezone.localdate()
    return _move(lead, "lose", user=user, fields=("closing_note", "closed_on"), note=reason)


def convert(lead, *, user, customer=None, create_anyway: bool = False) -> Lead:
    """Make the accepted lead an enquiry: a project under its customer, after creating the
    customer from the prospect's details when it has none. The lead keeps its code; the
    customer and the project point back to it, and its history is filed under the project.

    LooksLikeACustomer when the prospect resembles customers the user may see (choose one,
    or create it anyway); codes.CodingError when the customer scheme cannot code it.
    """
    if not may(user, lead, "convert"):
        raise NotAllowed(_("You may not do this with lead %(code)s.") % {"code": lead.code})
    if lead.state != S.ACCEPTED:
        raise LeadRefused(
            _("Lead %(code)s is %(state)s: only an accepted lead becomes an enquiry.")
            % {"code": lead.code, "state": lead.get_state_display()}
        )
    customer = customer or lead.customer
    _check_customer(user, customer)
    with transaction.atomic():
        if customer is None:
            customer = _new_customer(lead, user=user, create_anyway=create_anyway)
        elif not Customer.objects.editable_by(user).filter(pk=customer.pk).exists():
            raise NotAllowed(
                _("You may not add an enquiry to %(customer)s.") % {"customer": customer}
            )
        project = sales.create_project(
            customer,
            user=user,
            name=lead.product[:100],
            channel=CHANNELS.get(lead.source.code if lead.source_id else "", Project.Channel.OTHER),
            request="\n\n".join(
                filter(None, [lead.details, _("From order lead %(code)s.") % {"code": lead.code}])
            ),
            currency=lead.currency,
        )
        lead.customer, lead.project, lead.closed_on = customer, project, timezone.localdate()
        LeadFiling.objects.get_or_create(lead=lead, code=project.code)
        _move(lead, "convert", user=user, fields=("customer", "project", "closed_on"),
              customer=customer.code, project=project.code)  # fmt: skip
    return lead


def _new_customer(lead: Lead, *, user, create_anyway: bool) -> Customer:
    if not create_anyway:
        found = find_duplicates(
            user, company_name=lead.company_name, email=lead.email, phone=lead.phone
        )
        if found:
            raise LooksLikeACustomer(found)
    try:
        phone = to_e164(lead.phone, lead.country) if lead.phone else ""
    except BadPhone:
        phone = ""  # kept on the lead as typed
    owner = lead.assigned_to or user
    customer = Customer(
        company_name=lead.company_name,
        country=lead.country,
        email=lead.email,
        phone=phone,
        source=lead.source,
        owner=owner,
        remark=_("From order lead %(code)s.") % {"code": lead.code},
    )
    customers.create_customer(customer, user=user)
    if lead.contact_name:
        contact = Contact(name=lead.contact_name, email=lead.email, phone=phone)
        customers.add_contact(contact, customer=customer, user=user)
    return customer


def won_orders(lead: Lead):
    """The confirmed orders of the enquiry the lead became (none before it became one)."""
    return (
        Order.objects.filter(project_id=lead.project_id)
        .exclude(confirmed_on=None)
        .exclude(state=OrderState.CANCELLED)
    )


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
