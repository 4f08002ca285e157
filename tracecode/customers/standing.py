"""The figures every customer list, sheet, API answer and export shows, kept on the customer
instead of recomputed per request: the order value of the last 12 months, the confirmed
orders and their count per year, the computed A/B/C class and the last contact.

They are brought up to date in the transaction that changes their records: the sales app
calls refresh() when an order or project is saved or deleted, and every contact kind (mails,
chats, the log) and its links are followed by last contact. The classes depend on every
customer's share, so refresh() re-ranks all customers in the database (one statement with
window functions) whenever a customer's value changes. The twelve months move every day:
ranking() re-ranks once per day on first use, and `tracecode figures` does it on demand (for
cron, the demo, after an import); the sheet shows when the classes were ranked.

Inside `with standing.deferred():` (an import's chunk of rows) the customers to refresh are
noted and refreshed once when the block ends without an error: one re-rank per chunk
instead of one per saved order.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    F,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .figures import order_values
from .models import ClassRanking, Customer

# The customers whose values and last contact wait for the end of `deferred()`.
_pending: ContextVar[dict[str, set[int]] | None] = ContextVar(
    "tracecode_standing_pending", default=None
)

# Pareto bounds: A makes up the first 80% of the value, B the next 15%, C the rest (the rule
# of sales/figures.py contribution_classes(), which computes the same classes live).
CLASS_A, CLASS_B = "0.80", "0.95"


def rank(today: datetime.date | None = None) -> int:
    """Re-rank every customer's computed class from the kept values; the number changed."""
    today = today or timezone.localdate()
    total = Customer.objects.aggregate(total=Sum("value_12m", filter=Q(value_12m__gt=0)))
    total = Decimal(total["total"] or 0)
    money = DecimalField(max_digits=20, decimal_places=2)
    cumulative = Window(
        Sum("value_12m"), order_by=[F("value_12m").desc(), F("pk").asc()], output_field=money
    )
    ranked = Customer.objects.filter(confirmed_orders__gt=0).annotate(
        above=cumulative - F("value_12m")
    )
    if total > 0:
        bound_a, bound_b = total * Decimal(CLASS_A), total * Decimal(CLASS_B)
        klass = Case(
            When(value_12m__lte=0, then=Value("C")),
            When(above__lt=Value(bound_a, output_field=money), then=Value("A")),
            When(above__lt=Value(bound_b, output_field=money), then=Value("B")),
            default=Value("C"),
            output_field=CharField(),
        )
    else:
        klass = Value("C", output_field=CharField())
    # Only the customers whose class moved come back. The test of the kept class must refer
    # to the window (a plain filter would narrow the rows the window ranks).
    moved = Case(
        When(computed_class=F("klass"), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )
    ranked = ranked.annotate(klass=klass).annotate(moved=moved).filter(moved=True)
    changed: dict[str, list[int]] = {}
    for pk, value in ranked.order_by().values_list("pk", "klass"):
        changed.setdefault(value, []).append(pk)
    with transaction.atomic():
        for klass_value, pks in changed.items():
            for start in range(0, len(pks), 500):
                Customer.objects.filter(pk__in=pks[start : start + 500]).update(
                    computed_class=klass_value
                )
        # Customers without confirmed orders have no class.
        cleared = (
            Customer.objects.filter(confirmed_orders=0)
            .exclude(computed_class="")
            .update(computed_class="")
        )
        ClassRanking.objects.update_or_create(
            pk=1, defaults={"day": today, "ranked_at": timezone.now()}
        )
    return sum(len(p) for p in changed.values()) + cleared


def ranking() -> ClassRanking:
    """The classes' ranking, re-ranked first if it is not today's (the 12 months moved)."""
    today = timezone.localdate()
    current = ClassRanking.objects.filter(pk=1).first()
    if current is not None and current.day == today:
        current.just_now = False
        return current
    refresh_all(today, contacts=False)  # the last contacts do not move with the day
    current = ClassRanking.objects.get(pk=1)
    current.just_now = True
    return current


def _store_values(found: dict, customers) -> list[int]:
    """Write the figures in `found` (id → (value, orders, orders per year)) to `customers`
    where they differ; the ids whose value or orders moved (what the ranking depends on)."""
    fields = ("value_12m", "confirmed_orders", "orders_per_year")
    changed, moved = [], []
    for pk, *kept in customers.values_list("pk", *fields):
        new = found.get(pk, (Decimal(0), 0, {}))
        if tuple(kept) != tuple(new):
            changed.append(Customer(pk=pk, **dict(zip(fields, new, strict=True))))
            if tuple(kept[:2]) != tuple(new[:2]):
                moved.append(pk)
    Customer.objects.bulk_update(changed, fields, batch_size=500)
    return moved


def refresh(customer_ids, today: datetime.date | None = None) -> None:
    """Bring the values of these customers up to date, and re-rank if one of them moved."""
    ids = [pk for pk in set(customer_ids) if pk is not None]
    if not ids:
        return
    pending = _pending.get()
    if pending is not None and today is None:
        pending["values"].update(ids)
        return
    today = today or timezone.localdate()
    with transaction.atomic():
        found = order_values(ids, today)
        if _store_values(found, Customer.objects.filter(pk__in=ids)):
            rank(today)


@contextmanager
def deferred():
    """Refresh the customers whose orders, projects or contacts were saved inside once, when
    the block ends without an error (an error leaves them to the caller's rollback)."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = {"values": set(), "contacts": set()}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending["contacts"]:
        refresh_last_contact(Customer.objects.filter(pk__in=pending["contacts"]))
    refresh(pending["values"])


def refresh_all(today: datetime.date | None = None, *, contacts: bool = True) -> None:
    """Recompute every customer's kept figures (the last contacts too unless `contacts` is
    False) and re-rank the classes."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _store_values(order_values(None, today), Customer.objects.all())
        if contacts:
            refresh_last_contact(Customer.objects.all())
        rank(today)


# Last contact ------------------------------------------------------------------------------


def refresh_last_contact(customers) -> None:
    """Recompute the last contact of `customers` from every contact kind, in the database."""
    from .services import last_contact

    customers.update(last_contact_on=last_contact())


def follow_contacts(model, customer_ids_of) -> None:
    """Keep the last contact of `customer_ids_of(obj)` when an `obj` of `model` is saved or
    deleted (a contact kind, or the links that file it under customers)."""

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
            ids = [pk for pk in customer_ids_of(instance) if pk is not None]
            pending = _pending.get()
            if ids and pending is not None:
                pending["contacts"].update(ids)
            elif ids:
                refresh_last_contact(Customer.objects.filter(pk__in=ids))

    uid = f"tracecode.customers.standing:{model._meta.label_lower}"
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)


def follow_values(model, customer_ids_of) -> None:
    """Refresh the values and classes of `customer_ids_of(obj)` when an `obj` of `model` (an
    order, a project) is saved or deleted."""

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
            refresh(customer_ids_of(instance))

    uid = f"tracecode.customers.standing.values:{model._meta.label_lower}"
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)
