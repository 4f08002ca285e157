"""The rules of the customer archive, one function per rule: the views, the API, the admin
site and the demo all create, change, share, archive and log through these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Length, NullIf, Trunc, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes import services as codes
from tracecode.core.concurrency import StaleEdit, save_versioned

from . import standing
from .countries import country_order
from .figures import customer_figures
from .models import (
    ChangeRecord,
    Communication,
    Contact,
    Customer,
    CustomerShare,
    Direction,
    ListEntry,
    MainContactChange,
    home_country,
)

# What the history follows on a customer and on a contact.
CUSTOMER_FIELDS = [
    f.name for f in Customer._meta.concrete_fields if f.editable and f.name not in {"id", "code"}
] + ["shared_with"]
CONTACT_FIELDS = [
    f.name
    for f in Contact._meta.concrete_fields
    if f.editable and f.name not in {"id", "code", "customer"}
]

COMPANY_SIZES = [
    ("large", _("Large enterprise")),
    ("medium", _("Medium enterprise")),
    ("small", _("Small enterprise")),
    ("micro", _("Micro enterprise")),
]


class CustomerError(Exception):
    """A rule refuses what was asked; the message says why (for the API: 409 with `code`).
    What a user may not do at all is PermissionDenied (403)."""

    code = "refused"

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.field = field


class HasOrders(CustomerError):
    code = "has_orders"


# Coding ------------------------------------------------------------------------------------


def customer_scheme():
    return codes.scheme("customer")


def coding_field(name: str | None, sch=None) -> str | None:
    """The customer's field a placeholder of the customer scheme is typed in: its own
    (`country`) or a value kept in `code_values`; None for the scheme's own parts (serial)."""
    sch = sch or customer_scheme()
    if name in Customer.coding_fields:
        return name
    if name in sch.field_names:
        return f"code_values.{name}"
    return None


def code_values_for(customer: Customer, sch=None) -> dict[str, str]:
    """The values the customer scheme's placeholders take from this customer.

    A list entry (industry, source …) gives its `code`; a field the customer has no attribute
    for comes from `customer.code_values`.
    """
    sch = sch or customer_scheme()
    values = {}
    for name in sch.field_names:
        if name in Customer.coding_fields:
            value = getattr(customer, name)
            if isinstance(value, ListEntry):
                value = value.code
        else:
            value = (customer.code_values or {}).get(name)
        values[name] = "" if value is None else str(value)
    return values


def coding_table(name: str) -> list[tuple[str, str]] | None:
    """The choices of the customer scheme's table for a field, labelled in the active
    language; None when the scheme has no table for it."""
    sch = customer_scheme()
    table = sch.tables.get(name)
    if not table:
        return None
    chinese = (get_language() or "").startswith("zh")
    return [
        (value, f"{value} · {entry.label_zh if chinese and entry.label_zh else entry.label}")
        for value, entry in table.items()
    ]


def size_label(customer: Customer) -> str:
    if not customer.size:
        return ""
    choices = coding_table("size") or COMPANY_SIZES
    return str(dict(choices).get(customer.size, customer.size))


def region_label(customer: Customer) -> str:
    if not customer.region:
        return ""
    return str(dict(coding_table("region") or []).get(customer.region, customer.region))


# History -----------------------------------------------------------------------------------


def snapshot(instance, names) -> dict[str, str]:
    from .history import raw_value

    return {name: raw_value(instance, name) for name in names}


def record_changes(customer, before: dict, after: dict, *, user, contact=None) -> list:
    """One history line per field whose value changed."""
    subject = contact.code if contact is not None else customer.code
    rows = [
        ChangeRecord(
            customer=customer,
            contact=contact,
            subject=subject,
            field=name,
            old_value=before.get(name, ""),
            new_value=after[name],
            version=getattr(contact if contact is not None else customer, "version", None),
            changed_by=user,
        )
        for name in after
        if before.get(name, "") != after[name]
    ]
    return ChangeRecord.objects.bulk_create(rows)


def _record(customer, action, *, user, contact=None, field="", old="", new=""):
    change = _change(customer, action, user=user, contact=contact, field=field, old=old, new=new)
    change.save(force_insert=True)
    return change


def _change(customer, action, *, user, contact=None, field="", old="", new="") -> ChangeRecord:
    """One line of the history, not saved yet."""
    return ChangeRecord(
        customer=customer,
        contact=contact,
        subject=contact.code if contact is not None else customer.code,
        action=action,
        field=field,
        old_value=old,
        new_value=new,
        changed_by=user,
    )


def record_import(customer, *, user, source: str, contact=None):
    """An import created or changed the customer (or its contact): the history says which."""
    return _record(customer, ChangeRecord.Action.IMPORTED, user=user, contact=contact, new=source)


def record_imports(customers, *, user, source: str, contacts=None) -> list:
    """record_import() for many customers (or their `contacts`, one a customer), in one
    INSERT."""
    action = ChangeRecord.Action.IMPORTED
    contacts = contacts or [None] * len(customers)
    return ChangeRecord.objects.bulk_create(
        [_change(customer, action, user=user, contact=contact, new=source)
         for customer, contact in zip(customers, contacts, strict=True)]
    )  # fmt: skip


# Customers ---------------------------------------------------------------------------------


def can_manage(user, customer: Customer) -> bool:
    """Sharing, handing over, archiving and deleting: the owner, managers, administrators."""
    return user.can_write and (user.sees_everything or customer.owner_id == user.pk)


def check_owner(owner) -> None:
    """A customer's owner is someone who may change it: never a viewer, never a former user."""
    if not owner.can_write:
        raise ValidationError(
            {"owner": [_("%(user)s may not own customers.") % {"user": owner.get_username()}]}
        )


def create_customer(customer: Customer, *, user, shared_with=()) -> Customer:
    """Give the customer its code from the `customer` scheme and save it, with its shares.

    Whoever may write creates customers for themselves; managers choose another owner.
    Raises codes.CodingError (with `.field`) when the scheme cannot code it; nothing is saved.
    """
    _may_create(user)
    sch = customer_scheme()
    _new_customer(customer, user, sch)
    with transaction.atomic():
        try:
            codes.create_with_code(
                customer, "customer", user=user, fields=code_values_for(customer, sch)
            )
        except codes.CodingError as error:
            raise error.naming(coding_field(error.field, sch)) from None
        for other in shared_with:
            CustomerShare.objects.get_or_create(customer=customer, user=other)
        _record(customer, ChangeRecord.Action.CREATED, user=user, new=customer.company_name)
    return customer


def create_customers(customers: list[Customer], *, user) -> list[Customer]:
    """create_customer() for many new customers at once, in order (an import's chunk): the
    same rules, the codes create_customer() would give them one after the other, one INSERT
    per table (codes.create_many_with_codes). Nothing is saved when one is refused."""
    _may_create(user)
    sch = customer_scheme()
    for customer in customers:
        _new_customer(customer, user, sch)
        customer.stamp()
    with transaction.atomic():
        try:
            codes.create_many_with_codes(
                customers, "customer", user=user,
                fields=[code_values_for(customer, sch) for customer in customers],
            )  # fmt: skip
        except codes.CodingError as error:
            raise error.naming(coding_field(error.field, sch)) from None
        created = ChangeRecord.Action.CREATED
        ChangeRecord.objects.bulk_create(
            [_change(c, created, user=user, new=c.company_name) for c in customers]
        )
    return customers


def _may_create(user) -> None:
    if not user.can_write:
        raise PermissionDenied(_("Viewers do not create customers."))


def _new_customer(customer: Customer, user, sch) -> None:
    """A new customer's owner (the creator unless a manager chose another who may own
    customers), its creator and the coding values its scheme keeps."""
    if customer.owner_id is None:
        customer.owner = user
    elif customer.owner_id != user.pk and not user.sees_everything:
        raise ValidationError({"owner": [_("Only managers choose the owner.")]})
    check_owner(customer.owner)
    customer.created_by = user
    extra = set(sch.field_names) - set(Customer.coding_fields)
    customer.code_values = {k: v for k, v in (customer.code_values or {}).items() if k in extra}


def update_customer(customer: Customer, *, user, expected_version: int, fields) -> list:
    """Save the edited fields if nobody saved in between (else StaleEdit) and record history."""
    fields = [f for f in fields if f not in {"version", "code"}]
    with transaction.atomic():
        stored = Customer._base_manager.select_for_update().get(pk=customer.pk)
        before = snapshot(stored, fields)
        _save_versioned(customer, expected_version, fields)
        return record_changes(customer, before, snapshot(customer, fields), user=user)


def _save_versioned(instance, expected_version: int, fields) -> None:
    """save_versioned(), its StaleEdit telling only what the others changed, who and when."""
    from .history import conflict_changes

    try:
        save_versioned(instance, expected_version, fields=fields)
    except StaleEdit as stale:
        changes = conflict_changes(stale, instance, expected_version)
        raise StaleEdit(stale.current, changes) from None


def set_sharing(customer: Customer, *, user, owner, shared_with) -> None:
    """Hand the customer over and/or share it; both are recorded in its history.

    The owner and managers share; only a manager hands a customer over to another owner.
    """
    if not can_manage(user, customer):
        raise PermissionDenied(_("Only the owner or a manager may share or hand over a customer."))
    if owner.pk != customer.owner_id:
        if not user.sees_everything:
            raise PermissionDenied(_("A manager hands a customer over."))
        check_owner(owner)
    shared_with = {u for u in shared_with if u.pk != owner.pk}
    with transaction.atomic():
        before = snapshot(customer, ["owner", "shared_with"])
        if owner.pk != customer.owner_id:
            customer.owner = owner
            customer.save(update_fields=["owner"])
        CustomerShare.objects.filter(customer=customer).exclude(user__in=shared_with).delete()
        for other in shared_with:
            CustomerShare.objects.get_or_create(customer=customer, user=other)
        record_changes(customer, before, snapshot(customer, ["owner", "shared_with"]), user=user)


def archive_customer(customer: Customer, *, user) -> None:
    if not can_manage(user, customer):
        raise PermissionDenied(_("Only the owner or a manager may archive a customer."))
    if customer.archived_at is None:
        customer.archived_at = timezone.now()
        customer.save(update_fields=["archived_at"])
        _record(customer, ChangeRecord.Action.ARCHIVED, user=user)


def restore_customer(customer: Customer, *, user) -> None:
    if not can_manage(user, customer):
        raise PermissionDenied(_("Only the owner or a manager may restore a customer."))
    if customer.archived_at is not None:
        customer.archived_at = None
        customer.save(update_fields=["archived_at"])
        _record(customer, ChangeRecord.Action.RESTORED, user=user)


def delete_customer(customer: Customer, *, user) -> None:
    """Delete a customer entered by mistake; once it has orders it can only be archived.

    Its codes stay used (cancelled in the registry), never given again.
    """
    if not can_manage(user, customer):
        raise PermissionDenied(_("Only the owner or a manager may delete a customer."))
    refused = _("%(code)s has orders: archive it instead of deleting it.") % {"code": customer.code}
    if customer_figures(customer).has_orders:
        raise HasOrders(refused)
    codes_used = [customer.code, *customer.contacts.values_list("code", flat=True)]
    try:
        with transaction.atomic():
            customer.delete()
            for code in codes_used:
                codes.cancel(code, user=user, reason=f"customer {customer.code} deleted")
    except (models.ProtectedError, models.RestrictedError):
        raise HasOrders(
            _("%(code)s has sales records: archive it instead of deleting it.")
            % {"code": customer.code}
        ) from None


# Contacts ----------------------------------------------------------------------------------


def add_contact(contact: Contact, *, customer: Customer, user, main: bool = False) -> Contact:
    """Give the contact its code (customer code + serial); the first one is the main contact."""
    contact.customer = customer
    with transaction.atomic():
        first = not customer.contacts.exists()
        try:
            codes.create_with_code(contact, "contact", user=user, parent=customer.code)
        except codes.CodingError as error:
            raise error.naming(None) from None  # nothing the person typed is to blame
        _record(customer, ChangeRecord.Action.CREATED, user=user, contact=contact, new=contact.name)
        if first or main:
            make_main_contact(contact, user=user)
    return contact


def add_contacts(contacts: list[Contact], *, customers, user, mains: list[bool]) -> list:
    """add_contact() for many new contacts at once, in order (an import's chunk; `customers`
    and `mains` one a contact): the codes, history and main contacts add_contact() would
    give them one after the other, one INSERT per table."""
    for contact, customer in zip(contacts, customers, strict=True):
        contact.customer = customer
    customers = {contact.customer_id for contact in contacts}
    with transaction.atomic():
        theirs = Contact.objects.filter(customer__in=customers)
        having = set(theirs.order_by().values_list("customer_id", flat=True).distinct())
        mains_before = {c.customer_id: c for c in theirs.select_for_update().filter(is_main=True)}
        main = dict(mains_before)
        made_main = _main_contacts(contacts, mains, having, main)
        for contact in contacts:
            contact.is_main = main.get(contact.customer_id) is contact
        replaced = [c.pk for pk, c in mains_before.items() if main[pk] is not c]
        Contact.objects.filter(pk__in=replaced).update(is_main=False)  # one main a customer
        try:
            codes.create_many_with_codes(
                contacts, "contact", user=user, parents=[c.customer.code for c in contacts]
            )
        except codes.CodingError as error:
            raise error.naming(None) from None
        _record_new_contacts(contacts, made_main, user)
    for contact, _previous in made_main:  # as make_main_contact() leaves each it made main
        contact.is_main = True
    return contacts


def _main_contacts(contacts, mains, having: set, current: dict) -> list[tuple]:
    """(contact, the main contact it replaces) for each new contact made main, in order: the
    first contact of a customer, and one asked to be (add_contact's rule); `having`: the
    customers with contacts, `current`: each customer's main contact, both as they start."""
    made = []
    for contact, main in zip(contacts, mains, strict=True):
        first = contact.customer_id not in having
        having.add(contact.customer_id)
        if first or main:
            made.append((contact, current.get(contact.customer_id)))
            current[contact.customer_id] = contact
    return made


def _record_new_contacts(contacts, made_main, user) -> None:
    """The history of new contacts and of their customers' main contacts, as add_contact()
    and make_main_contact() write it, one INSERT per table."""
    previous_of = {id(contact): previous for contact, previous in made_main}
    changes, main_changes = [], []
    for contact in contacts:
        customer = contact.customer
        changes.append(_change(customer, ChangeRecord.Action.CREATED, user=user, contact=contact,
                               new=contact.name))  # fmt: skip
        if id(contact) not in previous_of:
            continue
        change, record = _main_change(customer, previous_of[id(contact)], contact, user)
        main_changes.append(change)
        changes.append(record)
    ChangeRecord.objects.bulk_create(changes)
    MainContactChange.objects.bulk_create(main_changes)


def update_contact(contact: Contact, *, user, expected_version: int, fields) -> list:
    fields = [f for f in fields if f not in {"version", "code", "customer", "is_main"}]
    with transaction.atomic():
        stored = Contact._base_manager.select_for_update().get(pk=contact.pk)
        before = snapshot(stored, fields)
        _save_versioned(contact, expected_version, fields)
        return record_changes(
            contact.customer, before, snapshot(contact, fields), user=user, contact=contact
        )


def _contact_text(contact) -> str:
    return f"{contact.name} ({contact.code})" if contact is not None else ""


def make_main_contact(contact: Contact, *, user) -> MainContactChange | None:
    """Make `contact` the customer's main contact; the change is recorded with when and who."""
    customer = contact.customer
    with transaction.atomic():
        current = (
            Contact.objects.select_for_update().filter(customer=customer, is_main=True).first()
        )
        if current is not None and current.pk == contact.pk:
            return None
        if current is not None:
            Contact.objects.filter(pk=current.pk).update(is_main=False)
        Contact.objects.filter(pk=contact.pk).update(is_main=True)
        contact.is_main = True
        change, record = _main_change(customer, current, contact, user)
        change.save(force_insert=True)
        record.save(force_insert=True)
    return change


def _main_change(customer, previous, contact, user) -> tuple[MainContactChange, ChangeRecord]:
    """`contact` made the customer's main contact in place of `previous` (or None): the
    change and its line of the history, not saved yet."""
    change = MainContactChange(
        customer=customer,
        previous=previous,
        new=contact,
        previous_name=previous.name if previous else "",
        new_name=contact.name,
        changed_by=user,
    )
    record = _change(customer, ChangeRecord.Action.CHANGED, user=user, field="main_contact",
                     old=_contact_text(previous), new=_contact_text(contact))  # fmt: skip
    return change, record


# Communication log -------------------------------------------------------------------------


class ResponseStatus(models.TextChoices):
    REPLY_RECEIVED = "reply_received", _("reply received")
    NO_REPLY = "no_reply", _("no reply")
    ORDER_PLACED = "order_placed", _("order placed")


def log_communication(entry: Communication, *, customer: Customer, user) -> Communication:
    entry.customer = customer
    entry.created_by = user
    entry.save()
    return entry


@dataclass
class CommunicationSummary:
    total: int = 0
    last_contact: datetime.date | None = None
    per_month: Decimal = Decimal(0)  # contacts a month, averaged over the last three months
    months: list = field(default_factory=list)  # (first day of month, contacts), last 6 months
    response_status: str = ""
    counted: list = field(default_factory=list)  # (what, how many): mails, chat messages, log
    as_of: datetime.datetime | None = None  # when they were counted for every customer

    @property
    def response_status_label(self) -> str:
        if not self.response_status:
            return ""
        return str(ResponseStatus(self.response_status).label)


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def _local_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def count_contacts(customer_ids, today: datetime.date) -> dict[int, dict]:
    """Customer id → its contact figures as kept on it (Customer.contact_figures), counted in
    the database from every contact kind the record registry knows (mails in and out, chat
    messages, the communication log): the items of each kind, the last in and out, and the
    items of each of the last six months; for the customers among `customer_ids` (None: all)
    with any contact."""
    since = _month_start(today, 5)
    found: dict[int, dict] = {}

    def figures_of(pk: int) -> dict:
        return found.setdefault(pk, {"month": today.strftime("%Y-%m"), "months": {},
                                     "counted": {}, "last_in": None, "last_out": None})  # fmt: skip

    for kind in registry.contact_kinds():
        path = kind.customer_path
        # One filter() call: a second one would join a multi-valued path (a mail's links) again.
        which = {f"{path}__in": list(customer_ids)} if customer_ids is not None else {}
        items = kind.model._default_manager.filter(**{f"{path}__isnull": False}, **which)
        counts = {"n": Count("pk", distinct=True)}
        if kind.direction:
            for key, direction in (("last_in", Direction.INCOMING),
                                   ("last_out", Direction.OUTGOING)):  # fmt: skip
                counts[key] = Max(kind.contact, filter=Q(**{kind.direction: direction}))
        for row in items.values(of_customer=F(path)).annotate(**counts).order_by():
            figures = figures_of(row["of_customer"])
            figures["counted"][kind.name] = row["n"]
            for key in ("last_in", "last_out"):
                day = _local_date(row.get(key))
                if day is not None and (figures[key] is None or day.isoformat() > figures[key]):
                    figures[key] = day.isoformat()
        start = since
        if isinstance(kind.model._meta.get_field(kind.contact), DateTimeField):
            start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
        recent = (
            items.filter(**{f"{kind.contact}__gte": start})
            .annotate(month=Trunc(kind.contact, "month", output_field=DateField()))
            .values("month", of_customer=F(path))
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for row in recent:
            months = figures_of(row["of_customer"])["months"]
            key = row["month"].strftime("%Y-%m")
            months[key] = months.get(key, 0) + row["n"]
    return found


def per_month(figures: dict, today: datetime.date) -> Decimal:
    """Contacts a month, averaged over the last three months (this one included)."""
    months = figures.get("months", {})
    recent = sum(months.get(_month_start(today, back).strftime("%Y-%m"), 0) for back in range(3))
    return (Decimal(recent) / 3).quantize(Decimal("0.1"))


def communication_summary(customer: Customer, *, has_orders=False, as_of=None):
    """Frequency, last contact and response status, as kept on the customer (counted by
    count_contacts(), customers/standing.py keeps them): mails in and out, chat messages and
    the communication log. The months end with the month of `as_of` (the day the figures were
    last counted for every customer)."""
    kept = customer.contact_figures or {}
    month = kept.get("month")
    today = datetime.date.fromisoformat(f"{month}-01") if month else timezone.localdate()
    summary = CommunicationSummary(last_contact=customer.last_contact_on, as_of=as_of)
    counted = kept.get("counted", {})
    for kind in registry.contact_kinds():
        summary.counted.append((kind.label, counted.get(kind.name, 0)))
        summary.total += counted.get(kind.name, 0)
    for back in range(5, -1, -1):
        start = _month_start(today, back)
        summary.months.append((start, kept.get("months", {}).get(start.strftime("%Y-%m"), 0)))
    summary.per_month = customer.contacts_per_month
    last_in, last_out = (
        datetime.date.fromisoformat(kept[key]) if kept.get(key) else None
        for key in ("last_in", "last_out")
    )
    summary.response_status = response_status(
        last_in, last_out, any_contact=summary.total > 0, has_orders=has_orders
    )
    return summary


def response_status(last_in, last_out, *, any_contact: bool, has_orders=False) -> str:
    """Order placed, else whether the customer answered our latest message (the same day
    counts as an answer)."""
    if has_orders:
        return ResponseStatus.ORDER_PLACED
    if last_out is None:
        return ResponseStatus.REPLY_RECEIVED if any_contact else ""
    answered = last_in is not None and last_in >= last_out
    return ResponseStatus.REPLY_RECEIVED if answered else ResponseStatus.NO_REPLY


# Figures, classes, follow-ups, lists -------------------------------------------------------


@dataclass
class Sheet:
    """Everything the Customer Information Sheet derives from records."""

    figures: object
    communication: CommunicationSummary
    contribution_class: str
    class_is_set_by_hand: bool
    classes_ranked_at: datetime.datetime | None = None


def sheet(customer: Customer) -> Sheet:
    figures = customer_figures(customer)
    ranked = standing.ranking()
    if ranked.just_now:  # re-ranked since the customer was read
        customer.refresh_from_db(fields=["computed_class", "contacts_per_month", "contact_figures"])
    return Sheet(
        figures=figures,
        communication=communication_summary(
            customer, has_orders=figures.has_orders, as_of=ranked.ranked_at
        ),
        contribution_class=customer.contribution_class,
        class_is_set_by_hand=bool(customer.class_override),
        classes_ranked_at=ranked.ranked_at,
    )


def classes_of(customers) -> dict[int, str]:
    """A/B/C of each customer: set by hand, else by contribution over all customers (Pareto),
    as kept on the customer (customers/standing.py)."""
    standing.ranking()
    result = {}
    for pk, by_hand, computed in customers.values_list("pk", "class_override", "computed_class"):
        if value := by_hand or computed:
            result[pk] = value
    return result


NEVER = datetime.date(1900, 1, 1)


def last_contact():
    """Each customer's latest contact as a query expression: the newest day among its
    mails, chat messages and log entries (every contact kind of the record registry)."""
    days = []
    for kind in registry.contact_kinds():
        path = kind.customer_path
        newest = (
            kind.model._default_manager.filter(**{path: OuterRef("pk")})
            .order_by()
            .values(path)
            .annotate(newest=Max(kind.contact))
            .values("newest")
        )
        day = Subquery(newest)
        if isinstance(kind.model._meta.get_field(kind.contact), DateTimeField):
            day = TruncDate(day)
        days.append(Coalesce(day, Value(NEVER)))
    if not days:
        return Value(None, output_field=models.DateField())
    newest = Greatest(*days) if len(days) > 1 else days[0]
    return NullIf(newest, Value(NEVER))


def follow_ups(user, *, today=None):
    """The user's own due and overdue next steps, oldest first."""
    today = today or timezone.localdate()
    return (
        Customer.objects.visible_to(user)
        .filter(owner=user, archived_at__isnull=True, next_step_due__lte=today)
        .select_related("status")
        .order_by("next_step_due", "code")
    )


def upcoming_follow_ups(user, *, today=None):
    """The user's own next steps due after today, soonest first."""
    today = today or timezone.localdate()
    return (
        Customer.objects.visible_to(user)
        .filter(owner=user, archived_at__isnull=True, next_step_due__gt=today)
        .select_related("status")
        .order_by("next_step_due", "code")
    )


# Codes sort as numbers do where they share a prefix: RK888 before RK1038.
SORTS = {
    "code": (Length("code"), "code"),
    "-code": (Length("code").desc(), "-code"),
    "company": ("name_key", "code"),
    "-company": ("-name_key", "code"),
    "country": ("country", "code"),
    "due": (models.F("next_step_due").asc(nulls_last=True), "code"),
    "-due": (models.F("next_step_due").desc(nulls_last=True), "code"),
    "last_contact": (models.F("last_contact_on").asc(nulls_first=True), "code"),
    "-last_contact": (models.F("last_contact_on").desc(nulls_last=True), "code"),
    "created": ("created_at", "code"),
    "-created": ("-created_at", "code"),
}


def filter_customers(user, data: dict, *, today=None):
    """The customers `user` may see, narrowed by a valid CustomerFilterForm's cleaned data."""
    today = today or timezone.localdate()
    standing.ranking()
    customers = (
        Customer.objects.visible_to(user)
        .select_related("owner", "status", "industry", "background", "source")
        .annotate(last_contact=models.F("last_contact_on"))
    )
    archived = data.get("archived") or ""
    if archived == "archived":
        customers = customers.filter(archived_at__isnull=False)
    elif archived != "all":
        customers = customers.filter(archived_at__isnull=True)
    if q := (data.get("q") or "").strip():
        in_contacts = Contact.objects.filter(Q(name__icontains=q) | Q(email__icontains=q)).values(
            "customer_id"
        )
        customers = customers.filter(
            Q(code__istartswith=q)
            | Q(company_name__icontains=q)
            | Q(email__icontains=q)
            | Q(pk__in=in_contacts)
        )
    for name in ("status", "industry", "owner"):
        if data.get(name):
            customers = customers.filter(**{name: data[name]})
    if data.get("country"):
        customers = customers.filter(country=data["country"])
    due = data.get("due")
    if due == "due":
        customers = customers.filter(next_step_due__lte=today)
    elif due == "overdue":
        customers = customers.filter(next_step_due__lt=today)
    elif due == "week":
        customers = customers.filter(next_step_due__lte=today + datetime.timedelta(days=7))
    if data.get("key") == "key":
        customers = customers.filter(is_key_account=True)
    elif data.get("key") == "regular":
        customers = customers.filter(is_key_account=False)
    home = home_country()
    if data.get("market") == "domestic":
        customers = customers.filter(country=home)
    elif data.get("market") == "international":
        customers = customers.exclude(country=home).exclude(country="")
    if wanted := data.get("contribution"):
        customers = customers.filter(
            Q(class_override=wanted) | Q(class_override="", computed_class=wanted)
        )
    sort = data.get("sort") or "code"
    if sort in ("country", "-country"):  # by the names the reader reads, not the codes
        order = country_order()
        return customers.order_by(order.desc() if sort == "-country" else order.asc(), "code")
    return customers.order_by(*SORTS.get(sort, SORTS["code"]))
