"""The figures every customer list, sheet, API answer and export shows, kept on the customer
instead of recomputed per request: the order value of the last 12 months, the confirmed
orders and their count per year, the computed A/B/C class, the last contact, the contacts
counted (a month, the last six months, by kind: the sheet's communication frequency) and the
balances per currency (what the confirmed orders owe, the credit).

They are brought up to date in the transaction that changes their records: the sales app
calls refresh() when an order or project is saved or deleted, refresh_balances() when what
an order has settled changes (payments), the payments app when a credit is saved; every
contact kind (mails, chats, the log) and its links are followed by refresh_contacts(). The
classes depend on every customer's share, so refresh() re-ranks all customers in the
database (one statement with window functions) whenever a customer's value changes. The
twelve months and the contacts' last three months move with the calendar: ranking() re-ranks
and counts the contacts again once per day on first use, and `tracecode figures` does it on
demand (for cron, the demo, after an import); the sheet shows when they were counted.

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
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from tracecode.core.trade import money

from .figures import balances, order_values
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


def _ids(customer_ids) -> list[int]:
    return [pk for pk in set(customer_ids) if pk is not None]


def _write(customers, fields: tuple[str, ...], wanted) -> list[tuple[int, tuple, tuple]]:
    """Write `wanted(pk)` (the values of `fields`) to each of `customers` whose kept values
    differ; those that changed, as (pk, kept, new)."""
    changed = []
    for pk, *kept in customers.values_list("pk", *fields):
        new = tuple(wanted(pk))
        if tuple(kept) != new:
            changed.append((pk, tuple(kept), new))
    Customer.objects.bulk_update(
        [Customer(pk=pk, **dict(zip(fields, new, strict=True))) for pk, _, new in changed],
        fields,
        batch_size=500,
    )
    return changed


def _store_values(found: dict, customers) -> list[int]:
    """Write the figures in `found` (id → (value, orders, orders per year)) to `customers`
    where they differ; the ids whose value or orders moved (what the ranking depends on)."""
    fields = ("value_12m", "confirmed_orders", "orders_per_year")
    changed = _write(customers, fields, lambda pk: found.get(pk, (Decimal(0), 0, {})))
    return [pk for pk, kept, new in changed if kept[:2] != new[:2]]


def refresh(customer_ids, today: datetime.date | None = None) -> None:
    """Bring the values of these customers up to date, and re-rank if one of them moved."""
    ids = _ids(customer_ids)
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
        _store_balances(balances(ids), Customer.objects.filter(pk__in=ids))


def refresh_balances(customer_ids) -> None:
    """Bring the balances of these customers up to date (a payment, a credit, a write-off)."""
    ids = _ids(customer_ids)
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending["balances"].update(ids)
        return
    _store_balances(balances(ids), Customer.objects.filter(pk__in=ids))


def _store_balances(found: dict, customers) -> None:
    """Write the balances in `found` (id → {currency: (owing, credit)}) where they differ."""

    def wanted(pk):
        per = sorted(found.get(pk, {}).items())
        return ({c: [str(money(owing)), str(money(credit))] for c, (owing, credit) in per},)

    _write(customers, ("balances",), wanted)


@contextmanager
def deferred():
    """Refresh the customers whose orders, projects or contacts were saved inside once, when
    the block ends without an error (an error leaves them to the caller's rollback)."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, set[int]] = {"values": set(), "contacts": set(), "balances": set()}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if pending["contacts"]:
        refresh_contacts(pending["contacts"])
    refresh(pending["values"])
    refresh_balances(pending["balances"] - pending["values"])


def refresh_all(today: datetime.date | None = None, *, contacts: bool = True) -> None:
    """Recompute every customer's kept figures (the last contacts too unless `contacts` is
    False: they do not move with the day) and re-rank the classes."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _store_values(order_values(None, today), Customer.objects.all())
        _store_balances(balances(None), Customer.objects.all())
        if contacts:
            refresh_last_contact(Customer.objects.all())
        _store_contacts(None, today)
        rank(today)


# Last contact ------------------------------------------------------------------------------


def refresh_last_contact(customers) -> None:
    """Recompute the last contact of `customers` from every contact kind, in the database."""
    from .services import last_contact

    customers.update(last_contact_on=last_contact())


def refresh_contacts(customer_ids, today: datetime.date | None = None) -> None:
    """Recompute the last contact and the contacts counted of these customers."""
    ids = _ids(customer_ids)
    if ids:
        refresh_last_contact(Customer.objects.filter(pk__in=ids))
        _store_contacts(ids, today or timezone.localdate())


def _store_contacts(customer_ids, today: datetime.date) -> None:
    """Count the contacts of these customers (None: all) and write them where they differ."""
    from .services import count_contacts, per_month

    found = count_contacts(customer_ids, today)
    customers = Customer.objects.all()
    if customer_ids is not None:
        customers = customers.filter(pk__in=customer_ids)

    def wanted(pk):
        figures = found.get(pk, {})
        return per_month(figures, today), figures

    _write(customers, ("contacts_per_month", "contact_figures"), wanted)


def follow_contacts(model, customer_ids_of) -> None:
    """Keep the last contact of `customer_ids_of(obj)` when an `obj` of `model` is saved or
    deleted (a contact kind, or the links that file it under customers)."""

    def contacts_changed(customer_ids) -> None:
        ids = [pk for pk in customer_ids if pk is not None]
        pending = _pending.get()
        if ids and pending is not None:
            pending["contacts"].update(ids)
        elif ids:
            refresh_contacts(ids)

    _follow(model, "", customer_ids_of, contacts_changed)


def follow_balances(model, customer_ids_of) -> None:
    """Refresh the balances of `customer_ids_of(obj)` when an `obj` of `model` (a credit) is
    saved or deleted."""
    _follow(model, ".balances", customer_ids_of, refresh_balances)


def follow_values(model, customer_ids_of) -> None:
    """Refresh the values and classes of `customer_ids_of(obj)` when an `obj` of `model` (an
    order, a project) is saved or deleted."""
    _follow(model, ".values", customer_ids_of, refresh)


def _follow(model, figures: str, customer_ids_of, refresh_of) -> None:
    """Call `refresh_of(customer_ids_of(obj))` when an `obj` of `model` is saved or deleted
    (not while fixtures load: `raw`). A model with its own `customer` field may be moved to
    another customer: the one it was loaded with is refreshed too."""
    moves = any(f.name == "customer" and f.is_relation for f in model._meta.concrete_fields)

    def loaded(sender, instance, **kwargs):
        instance._standing_customer = instance.__dict__.get("customer_id")

    def changed(sender, instance, raw=False, **kwargs):
        if raw:
            return
        ids = list(customer_ids_of(instance))
        was = getattr(instance, "_standing_customer", None) if moves else None
        if was is not None and was not in ids:
            ids.append(was)
        refresh_of(ids)
        if moves:
            loaded(sender, instance)  # moved again later: from where it is now

    uid = f"tracecode.customers.standing{figures}:{model._meta.label_lower}"
    if moves:
        post_init.connect(loaded, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)
