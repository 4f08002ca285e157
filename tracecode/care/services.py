"""Key accounts (owner, visit rhythm, yearly plans, visits) and the archive kept current
(sheet reviews). Credit control has its own module, credit.py.

Who may do what: a manager makes a customer a key account and names its owner; whoever may
change the customer (its owner, a user it is shared with for writing, managers) records
visits, keeps the plans and reviews the sheet.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.customers import services as customers
from tracecode.customers.models import Channel, Communication, Customer, Direction

from .models import AccountPlan, KeyAccount, SheetReview, Visit


def may_change(user, customer) -> bool:
    return Customer.objects.editable_by(user).filter(pk=customer.pk).exists()


def _require_change(user, customer) -> None:
    if not may_change(user, customer):
        raise PermissionDenied


def may_designate(user) -> bool:
    return user is not None and user.is_authenticated and user.sees_everything and user.can_write


# Key accounts -----------------------------------------------------------------------------


def designate(customer, *, user, owner, visit_weeks: int, return_visit_weeks: int) -> KeyAccount:
    """Make `customer` a key account (or change its owner and rhythm); managers only."""
    if not may_designate(user):
        raise PermissionDenied
    if not Customer.objects.visible_to(owner).filter(pk=customer.pk).exists():
        raise ValidationError({"owner": [_("The owner must be someone who sees this customer.")]})
    with transaction.atomic():
        account, _created = KeyAccount.objects.update_or_create(
            customer=customer,
            defaults={"owner": owner, "visit_weeks": visit_weeks,
                      "return_visit_weeks": return_visit_weeks},
        )  # fmt: skip
        if not customer.is_key_account:
            Customer.objects.filter(pk=customer.pk).update(is_key_account=True)
            customer.is_key_account = True
    return account


def save_plan(account, *, user, year: int, values: dict) -> AccountPlan:
    """Write the key account's plan for `year` (goals, actions, progress, % done)."""
    _require_change(user, account.customer)
    plan, _created = AccountPlan.objects.update_or_create(
        account=account,
        year=year,
        defaults={**values, "updated_by": user, "updated_at": timezone.now()},
    )
    return plan


def record_visit(customer, *, user, kind: str, date, purpose: str, outcome: str = "",
                 contact=None) -> Visit:  # fmt: skip
    """Put a visit (or return visit) into the communication log with its purpose and outcome."""
    _require_change(user, customer)
    label = Visit.Kind(kind).label
    summary = f"{label}: {purpose}" + (f"\n→ {outcome}" if outcome else "")
    with transaction.atomic():
        entry = customers.log_communication(
            Communication(channel=Channel.VISIT, direction=Direction.OUTGOING, date=date,
                          summary=summary, contact=contact),
            customer=customer,
            user=user,
        )  # fmt: skip
        return Visit.objects.create(
            entry=entry, kind=kind, purpose=purpose, outcome=outcome, visited_by=user
        )


@dataclass
class Rhythm:
    """When a key account was last visited and called back, and when the next ones are due."""

    account: KeyAccount
    last_visit: datetime.date | None
    next_visit: datetime.date
    last_return: datetime.date | None
    next_return: datetime.date
    today: datetime.date

    @property
    def visit_overdue(self) -> bool:
        return self.next_visit <= self.today

    @property
    def return_overdue(self) -> bool:
        return self.next_return <= self.today

    @property
    def due(self) -> bool:
        return self.visit_overdue or self.return_overdue


def rhythm(account, today: datetime.date | None = None) -> Rhythm:
    """The account's visit rhythm as of `today`; never visited: due from its first day."""
    today = today or timezone.localdate()
    visits = Visit.objects.filter(entry__customer=account.customer_id)

    def last(kind):
        return (
            visits.filter(kind=kind)
            .order_by("-entry__date")
            .values_list("entry__date", flat=True)
            .first()
        )

    last_visit, last_return = last(Visit.Kind.VISIT), last(Visit.Kind.RETURN)
    # A visit is a contact too: the next return visit counts from whichever came last.
    latest = max([d for d in (last_visit, last_return) if d], default=None)
    return Rhythm(
        account=account,
        last_visit=last_visit,
        next_visit=(last_visit or account.since) + datetime.timedelta(weeks=account.visit_weeks),
        last_return=last_return,
        next_return=(latest or account.since)
        + datetime.timedelta(weeks=account.return_visit_weeks),
        today=today,
    )


def visits_due(user, today: datetime.date | None = None) -> list[Rhythm]:
    """The user's key accounts whose visit or return visit is due or overdue, oldest first."""
    accounts = KeyAccount.objects.visible_to(user).filter(
        owner=user, customer__archived_at__isnull=True
    )
    due = [r for r in (rhythm(a, today) for a in accounts.select_related("customer")) if r.due]
    return sorted(due, key=lambda r: min(r.next_visit, r.next_return))


# The archive kept current -----------------------------------------------------------------

REVIEW_EVERY = datetime.timedelta(days=365)


def review_due(customer) -> datetime.date:
    """The day the sheet is to be reviewed: as the last review set, else a year after it
    was created."""
    latest = customer.sheet_reviews.first()
    if latest is not None:
        return latest.next_due
    return timezone.localtime(customer.created_at).date() + REVIEW_EVERY


def review_sheet(customer, *, user, note: str = "", next_due=None) -> SheetReview:
    """Record that `user` checked the sheet now; the next review is due in 12 months unless
    an earlier day is given."""
    _require_change(user, customer)
    today = timezone.localdate()
    next_due = next_due or today + REVIEW_EVERY
    if next_due <= today:
        raise ValidationError({"next_due": [_("The next review is after today.")]})
    return SheetReview.objects.create(
        customer=customer, reviewed_by=user, note=note, next_due=next_due
    )


def sheets_due(user, today: datetime.date | None = None) -> list[tuple[Customer, datetime.date]]:
    """The customers `user` sees whose sheet is due for review (not reviewed for 12 months,
    or due earlier as set), oldest due first; archived ones are left out."""
    today = today or timezone.localdate()
    customers_ = Customer.objects.visible_to(user).filter(archived_at__isnull=True)
    rows = customers_.select_related("owner").prefetch_related("sheet_reviews")
    found = [(c, review_due(c)) for c in rows]
    return sorted([(c, due) for c, due in found if due <= today], key=lambda item: item[1])
