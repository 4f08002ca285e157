"""Payments as they arrive: an overpayment kept as credit, a short payment written off, credit
used on another order, instalments due by the terms, and a customer's balance."""

import copy
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.core.workflow import changes
from tracecode.customers import standing
from tracecode.customers.models import Customer
from tracecode.sales import services as sales
from tracecode.sales import workflow
from tracecode.sales.models import Order, OrderState, Payment
from tracecode.sales.trade import format_money, money

from . import terms
from .models import Credit, WriteOff

# Orders whose balance is still to come: confirmed and not cancelled or closed.
OWING = [
    OrderState.CONFIRMED,
    OrderState.IN_PRODUCTION,
    OrderState.READY,
    OrderState.SHIPPED,
    OrderState.ARRIVED,
    OrderState.RECONCILED,
]


def _finish(order: Order, user) -> None:
    if order.state == OrderState.RECONCILED and order.balance <= 0:
        workflow.perform(order, "mark_paid", user=user)


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("project__customer").get(pk=order.pk)


def receive(order: Order, *, user, values: dict) -> tuple[Payment | None, Credit | None]:
    """Money received for an order: what its balance takes is its payment, the rest is kept as
    the customer's credit in the order's currency."""
    amount = money(values["amount"])
    with transaction.atomic():
        locked = _locked(order)
        applied = min(amount, max(locked.balance, Decimal(0)))
        excess = amount - applied
        payment = None
        if applied > 0:
            note = values.get("note", "")
            if excess:
                note = " · ".join(x for x in (note, _("%(amount)s received") % {
                    "amount": format_money(amount, locked.currency)}) if x)  # fmt: skip
            payment = sales.record_payment(
                locked, user=user, values={**values, "amount": applied, "note": note[:300]}
            )
        elif locked.state in (OrderState.DRAFT, OrderState.CANCELLED, OrderState.CLOSED):
            sales.record_payment(locked, user=user, values=values)  # says why it is refused
        credit = None
        if excess > 0:
            credit = Credit.objects.create(
                customer=locked.project.customer,
                currency=locked.currency,
                amount=excess,
                order=locked,
                payment=payment,
                on=values.get("received_on") or timezone.localdate(),
                note=values.get("reference", "")[:300],
                recorded_by=user if user is not None and user.pk else None,
            )
            workflow.record(
                locked, "credit", user=user, amount=format_money(excess, locked.currency)
            )
    order.refresh_from_db()
    return payment, credit


def write_off(order: Order, *, user, amount, reason: str, note: str = "") -> WriteOff:
    """Settle what is left of a short payment: at most the balance, with its reason."""
    amount = money(amount)
    if reason not in WriteOff.Reason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    if reason == WriteOff.Reason.OTHER and not note.strip():
        raise ValidationError({"note": [_("Say why it is written off.")]})
    with transaction.atomic():
        locked = _locked(order)
        if locked.state not in OWING:
            raise ValidationError(_("Only a confirmed order's balance is written off."))
        if amount <= 0 or amount > locked.balance:
            raise ValidationError(
                {
                    "amount": [
                        _("At most the balance, %(balance)s.")
                        % {"balance": format_money(locked.balance, locked.currency)}
                    ]
                }  # fmt: skip
            )
        written = WriteOff.objects.create(
            order=locked, amount=amount, reason=reason, note=note, written_on=timezone.localdate(),
            recorded_by=user if user is not None and user.pk else None,
        )  # fmt: skip
        sales.settle(locked, amount)
        workflow.record(
            locked, "write_off", user=user, note=f"{written.get_reason_display()} {note}".strip(),
            amount=format_money(amount, locked.currency),
        )  # fmt: skip
        _finish(locked, user)
    order.refresh_from_db()
    return written


PAYMENT_FIELDS = ["received_on", "amount", "method", "reference", "note"]


def change_payment(payment: Payment, *, user, values: dict) -> Payment:
    """Correct a recorded payment (a mistyped date, amount, method or bank reference); what
    changed goes on the order's timeline, old → new, with who. Its amount changes while the
    order is owed: by at most the balance more, the order settled again by the difference."""
    with transaction.atomic():
        locked = _locked(payment.order)
        if not locked.is_open:
            raise ValidationError(_("A closed or cancelled order is no longer changed."))
        stored = Payment.objects.select_for_update().get(pk=payment.pk)
        edited = copy.copy(stored)
        for name in PAYMENT_FIELDS:
            if name in values:
                setattr(edited, name, money(values[name]) if name == "amount" else values[name])
        found = changes(stored, edited, [name for name in PAYMENT_FIELDS if name in values])
        difference = edited.amount - stored.amount
        if difference and locked.state not in OWING:
            raise ValidationError({"amount": [
                _("%(code)s is %(state)s: the amounts of its payments stay as they are.")
                % {"code": locked.code, "state": workflow.state_label(locked.state)}]})  # fmt: skip
        if difference > locked.balance:
            raise ValidationError({"amount": [
                _("At most %(most)s: only %(balance)s is still to be paid.") % {
                    "most": format_money(stored.amount + locked.balance, locked.currency),
                    "balance": format_money(locked.balance, locked.currency)}]})  # fmt: skip
        if found:
            edited.save(update_fields=[name for name, _old, _new in found])
            if difference:
                sales.settle(locked, difference)
            workflow.record(
                locked, "payment_changed", user=user, of=Payment._meta.label_lower,
                received_on=stored.received_on.isoformat(), changes=found,
            )  # fmt: skip
            _finish(locked, user)
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    return payment


def credit_of(customer, currency: str) -> Decimal:
    return money(
        Credit.objects.filter(customer=customer, currency=currency).aggregate(s=Sum("amount"))["s"]
    )


def use_credit(order: Order, *, user, amount=None) -> Credit:
    """Settle an order with the customer's credit in its currency (all the balance takes)."""
    with transaction.atomic():
        locked = _locked(order)
        customer = locked.project.customer
        Credit.objects.select_for_update().filter(customer=customer).exists()
        available = credit_of(customer, locked.currency)
        wanted = money(amount) if amount is not None else min(available, locked.balance)
        if locked.state not in OWING:
            raise ValidationError(_("Only a confirmed order is settled with credit."))
        if wanted <= 0 or wanted > available or wanted > locked.balance:
            raise ValidationError(
                {"amount": [_("At most %(amount)s: the credit and the balance allow no more.") % {
                    "amount": format_money(min(available, locked.balance), locked.currency)}]}
            )  # fmt: skip
        used = Credit.objects.create(
            customer=customer, currency=locked.currency, amount=-wanted, order=locked,
            note=_("used on %(code)s") % {"code": locked.code},
            recorded_by=user if user is not None and user.pk else None,
        )  # fmt: skip
        sales.settle(locked, wanted)
        workflow.record(
            locked, "credit_used", user=user, amount=format_money(wanted, locked.currency)
        )
        _finish(locked, user)
    order.refresh_from_db()
    return used


@dataclass
class Due:
    """One instalment of an order's terms: how much, by when, and how much of it is settled."""

    words: str
    percent: Decimal
    amount: Decimal
    due_on: datetime.date | None
    settled: Decimal

    @property
    def open(self) -> Decimal:
        return self.amount - self.settled

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.open > 0 and self.due_on is not None and self.due_on < today


def _event_date(order: Order, event: str | None) -> datetime.date | None:
    if event == "order":
        return order.confirmed_on or order.ordered_on
    if event == "shipment":
        return order.etd or order.internal_due_date or order.delivery_date
    if event == "arrival":
        return order.arrived_on or order.eta or order.delivery_date
    return order.payment_due_on


def due_dates(order: Order) -> list[Due]:
    """The order's instalments by its payment terms: deposit and balance with their due dates;
    what is settled fills them in order."""
    parts = terms.instalments(order.payment_terms)
    if not parts:
        parts = [terms.Instalment(Decimal(100), _("payment"), None)]
    left, settled, result = order.total, order.paid, []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        amount = left if last else money(order.total * part.percent / 100)
        left -= amount
        day = _event_date(order, part.event)
        if day is not None and part.days:
            day += datetime.timedelta(days=part.days)
        covered = min(max(settled, Decimal(0)), amount)
        settled -= covered
        result.append(Due(part.words, part.percent, amount, day, covered))
    return result


@dataclass
class Balance:
    currency: str
    owing: Decimal  # the open balances of its confirmed orders
    credit: Decimal  # its credit

    @property
    def net(self) -> Decimal:
        return self.owing - self.credit


def customer_balance(customer) -> list[Balance]:
    """What the customer owes and holds as credit, per currency, as kept on the customer
    (customers/standing.py, from balances_of())."""
    standing.ranking()  # counted for every customer once a day (and after the migration)
    kept = Customer.objects.values_list("balances", flat=True).get(pk=customer.pk)
    return [
        Balance(currency, Decimal(owing), Decimal(credit))
        for currency, (owing, credit) in sorted(kept.items())
    ]


def balances_of(customer_ids) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """Customer id → {currency: (the open balances of its confirmed orders, its credit)},
    summed in the database, for the customers among `customer_ids` (None: all)."""
    orders = Order.objects.filter(state__in=OWING)
    credits = Credit.objects.all()
    if customer_ids is not None:
        orders = orders.filter(project__customer__in=list(customer_ids))
        credits = credits.filter(customer__in=list(customer_ids))
    found: dict[int, dict[str, list[Decimal]]] = {}
    owing = (
        orders.values("currency", of_customer=F("project__customer"))
        .annotate(s=Sum(F("total") - F("paid")))
        .order_by()
    )
    for row in owing:
        per = found.setdefault(row["of_customer"], {})
        per.setdefault(row["currency"], [Decimal(0), Decimal(0)])[0] = money(row["s"])
    for row in credits.values("customer", "currency").annotate(s=Sum("amount")).order_by():
        per = found.setdefault(row["customer"], {})
        per.setdefault(row["currency"], [Decimal(0), Decimal(0)])[1] = money(row["s"])
    return {pk: {c: (o, k) for c, (o, k) in per.items()} for pk, per in found.items()}
