"""Credit control: a customer's exposure against its credit limit, checked when an order is
confirmed, and the manager's release of an order the check refused.

Definitions (in settings.BASE_CURRENCY, converted with settings.EXCHANGE_RATES):
- open receivables: what is still to be paid of the customer's invoiced orders, an order
  being invoiced once its commercial invoice (CI) is made or it has shipped;
- confirmed, not invoiced: what is still to be paid of its other confirmed orders;
- the order at hand: what is still to be paid of the order being confirmed;
- exposure: the three added up; headroom: the limit less the exposure.

Confirming is refused when the exposure exceeds the limit (a customer without a limit is
not limited) or when one of its invoices is overdue by more than
settings.CREDIT_OVERDUE_DAYS, unless a manager (or a user with the *credit control*
permission) released the order at its present total. The check runs inside the
confirmation's transaction with the customer's row locked (PostgreSQL: SELECT … FOR UPDATE;
SQLite: the IMMEDIATE write transaction already serialises writers), so two orders of one
customer confirmed at once are checked one after the other, the second counting the first.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.customers.models import Customer
from tracecode.sales.models import AWAITING_PAYMENT, Document, Order, OrderState
from tracecode.sales.trade import exchange_rate, format_money, money
from tracecode.sales.workflow import IllegalTransition

from .models import CreditAssessment, CreditRelease

INVOICED_STATES = [OrderState.SHIPPED, OrderState.ARRIVED, OrderState.RECONCILED]


@dataclass
class Overdue:
    code: str
    due: datetime.date
    days: int
    balance: str  # in the order's currency


@dataclass
class Exposure:
    """A customer's credit figures, in the base currency, as of one moment."""

    currency: str
    receivables: Decimal = Decimal(0)
    not_invoiced: Decimal = Decimal(0)
    this_order: Decimal = Decimal(0)
    limit: Decimal | None = None
    overdue: list[Overdue] = field(default_factory=list)
    unconverted: set[str] = field(default_factory=set)  # currencies without a rate
    order_code: str = ""

    @property
    def total(self) -> Decimal:
        return money(self.receivables + self.not_invoiced + self.this_order)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.limit is None else money(self.limit - self.total)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.total > self.limit

    def text(self, amount) -> str:
        return "—" if amount is None else format_money(amount, self.currency)

    def problems(self) -> list[str]:
        """Why an order may not be confirmed now; empty when it may."""
        problems = []
        if self.over_limit:
            problems.append(
                _(
                    "the exposure of %(exposure)s (open receivables %(receivables)s, confirmed"
                    " not invoiced %(not_invoiced)s, this order %(order)s) exceeds the credit"
                    " limit of %(limit)s by %(over)s"
                )
                % {
                    "exposure": self.text(self.total),
                    "receivables": self.text(self.receivables),
                    "not_invoiced": self.text(self.not_invoiced),
                    "order": self.text(self.this_order),
                    "limit": self.text(self.limit),
                    "over": self.text(-self.headroom),
                }
            )
        for late in self.overdue:
            problems.append(
                _("invoice %(code)s (%(balance)s) is %(days)s days overdue since %(due)s")
                % {"code": late.code, "balance": late.balance, "days": late.days, "due": late.due}
            )
        if self.limit is not None and self.unconverted:
            problems.append(
                _("no exchange rate to %(base)s is configured for %(currencies)s")
                % {"base": self.currency, "currencies": ", ".join(sorted(self.unconverted))}
            )
        return problems

    def fields(self) -> dict[str, list[str]]:
        """The figures as the API's error `fields` (amounts as decimal strings)."""
        figures = {
            "currency": [self.currency],
            "exposure": [str(self.total)],
            "open_receivables": [str(money(self.receivables))],
            "confirmed_not_invoiced": [str(money(self.not_invoiced))],
            "this_order": [str(money(self.this_order))],
            "credit_limit": [] if self.limit is None else [str(money(self.limit))],
            "headroom": [] if self.headroom is None else [str(self.headroom)],
            "overdue_invoices": [late.code for late in self.overdue],
        }
        return figures


class CreditBlocked(IllegalTransition):
    """Confirming the order is refused by credit control; carries the figures."""

    code = "credit_blocked"

    def __init__(self, order, exposure: Exposure):
        problems = exposure.problems()
        message = _(
            "%(code)s is blocked by credit control: %(problems)s. A manager may release it"
            " with a reason."
        ) % {"code": order.code, "problems": "; ".join(problems)}
        super().__init__(message, problems)
        self.exposure = exposure
        self.fields = exposure.fields()


def _in_base(amount, currency: str, exposure: Exposure) -> Decimal:
    rate = exchange_rate(currency, settings.BASE_CURRENCY, settings.EXCHANGE_RATES)
    if rate is None:
        exposure.unconverted.add(currency)
        return Decimal(0)
    return money(Decimal(amount) * rate)


def exposure_of(customer, order=None, today: datetime.date | None = None) -> Exposure:
    """The customer's exposure, counting `order` (a draft being confirmed) as the order at
    hand; without one, the exposure of what is confirmed."""
    today = today or timezone.localdate()
    exposure = Exposure(currency=settings.BASE_CURRENCY, limit=customer.credit_limit)
    invoiced = Exists(Document.objects.filter(order=OuterRef("pk"), kind=Document.Kind.CI))
    open_orders = (
        Order.objects.filter(project__customer=customer, state__in=AWAITING_PAYMENT)
        .annotate(invoiced=invoiced)
        .order_by("payment_due_on", "pk")
    )
    if order is not None:
        open_orders = open_orders.exclude(pk=order.pk)
    late_since = today - datetime.timedelta(days=settings.CREDIT_OVERDUE_DAYS)
    for row in open_orders:
        balance = row.total - row.paid
        if balance <= 0:
            continue
        amount = _in_base(balance, row.currency, exposure)
        if row.invoiced or row.state in INVOICED_STATES:
            exposure.receivables += amount
        else:
            exposure.not_invoiced += amount
        if row.payment_due_on is not None and row.payment_due_on < late_since:
            exposure.overdue.append(
                Overdue(
                    row.code,
                    row.payment_due_on,
                    (today - row.payment_due_on).days,
                    format_money(balance, row.currency),
                )
            )
    if order is not None:
        exposure.order_code = order.code
        exposure.this_order = _in_base(max(order.total - order.paid, 0), order.currency, exposure)
    return exposure


def released(order) -> CreditRelease | None:
    """The release letting `order` be confirmed at its present total, if any."""
    return CreditRelease.objects.filter(order=order, order_total__gte=order.total).first()


def check_confirmation(order) -> None:
    """The sales workflow's check before confirming `order` (registered in apps.py)."""
    # The lock that makes the check and the confirmation one step per customer.
    customer = Customer.objects.select_for_update().get(pk=order.project.customer_id)
    exposure = exposure_of(customer, order)
    if exposure.problems() and released(order) is None:
        raise CreditBlocked(order, exposure)


def may_control(user, customer) -> bool:
    """Managers, and users with the credit control permission, for customers they see."""
    if user is None or not user.is_authenticated or not user.can_write:
        return False
    if not (user.sees_everything or user.has_perm("care.control_credit")):
        return False
    return Customer.objects.visible_to(user).filter(pk=customer.pk).exists()


def blocked_orders(customer) -> list[tuple[Order, Exposure, CreditRelease | None]]:
    """The customer's draft orders credit control refuses now: figures, release if any."""
    drafts = Order.objects.filter(project__customer=customer, state=OrderState.DRAFT)
    found = []
    for order in drafts.select_related("project").order_by("pk"):
        exposure = exposure_of(customer, order)
        if exposure.problems():
            found.append((order, exposure, released(order)))
    return found


def release(order, *, user, reason: str) -> CreditRelease:
    """Record a manager's release of `order` with the reason and the figures of now."""
    customer = order.project.customer
    if not may_control(user, customer):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the release.")]})
    if order.state != OrderState.DRAFT:
        raise ValidationError(_("Only an order not yet confirmed can be released."))
    with transaction.atomic():
        exposure = exposure_of(Customer.objects.select_for_update().get(pk=customer.pk), order)
        if not exposure.problems():
            raise ValidationError(_("%(code)s is within its credit: there is nothing to release.")
                                  % {"code": order.code})  # fmt: skip
        return CreditRelease.objects.create(
            order=order,
            reason=reason,
            order_total=order.total,
            exposure=exposure.total,
            limit=exposure.limit,
            overdue=len(exposure.overdue),
            released_by=user,
        )


def assess(customer, *, user, values: dict) -> CreditAssessment:
    """Record a credit review; its level and limit become the customer's."""
    if not may_control(user, customer):
        raise PermissionDenied
    with transaction.atomic():
        assessment = CreditAssessment(customer=customer, reviewed_by=user, **values)
        assessment.full_clean()
        assessment.save()
        # F(): a sheet form opened before the review is now stale, whatever was read here.
        Customer.objects.filter(pk=customer.pk).update(
            credit_level=assessment.level,
            credit_limit=assessment.limit,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        customer.refresh_from_db()
    return assessment


def latest_assessment(customer) -> CreditAssessment | None:
    return customer.credit_assessments.select_related("reviewed_by").first()
