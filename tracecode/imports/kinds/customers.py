"""Customers, contacts and the communication log as sheets, saved through the customer
archive's forms and services."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.accounts.models import Role
from tracecode.codes import registry as codes_registry
from tracecode.customers import services
from tracecode.customers.countries import country_choices
from tracecode.customers.duplicates import company_key
from tracecode.customers.forms import (
    CommunicationForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    staff,
)
from tracecode.customers.models import (
    Background,
    BusinessStatus,
    Channel,
    Communication,
    Contact,
    ContributionClass,
    CreditLevel,
    Customer,
    CustomerSource,
    Direction,
    Industry,
    LoyaltyLevel,
)

from ..engine import Row, Saved
from ..sheets import Column
from .base import (
    Chunk,
    Kind,
    by_code,
    fill,
    given_fields,
    jsonable,
    model_fields,
    remember_named,
    snapshot,
    valid,
)


def label_of(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


def choices_of(text_choices):
    return lambda: [(str(value), label) for value, label in text_choices.choices]


def entries(model):
    """A list an administrator extends (industries …), by code; its name in the reader's
    language is the label."""
    return lambda: [(e.code, str(e)) for e in model.objects.all()]


def owners():
    return [(u.username, u.username) for u in staff().exclude(role=Role.VIEWER)]


def region_choices():
    return services.coding_table("region") or []


def size_choices():
    return services.coding_table("size") or services.COMPANY_SIZES


def customer_of(row: Row, context, key: str = "customer"):
    """The customer a row names, among those the importer may change; unknown and hidden
    alike fail."""
    return by_code(
        Customer, row, key, context, _("No customer %(code)s that you may change."),
        missing=_("Name the customer by its code."),
    )  # fmt: skip


def _code(record) -> str:
    return record.code if record is not None else ""


CODE_HELP = gettext_lazy(
    "Empty: the next code of the scheme. A code that exists: that record is updated with the "
    "columns given. A code not yet given is kept as it is and its counter moves past it."
)


def code_column(help=CODE_HELP):
    return Column("code", gettext_lazy("Code"), "code", help=help, width=14)


def user_name(user) -> str:
    return user.get_username() if user is not None else ""


def note_import(record, context, contact=None):
    services.record_import(record, user=context.user, source=context.source, contact=contact)


class Customers(Kind):
    name = "customers"
    label = gettext_lazy("Customers")
    position = 10
    model = Customer
    scheme = "customer"
    filter_form = CustomerFilterForm
    help = gettext_lazy("The Customer Information Sheet, one customer a row.")

    @property
    def columns(self) -> list[Column]:
        own = [
            code_column(),
            Column("company_name", label_of(Customer, "company_name"), required=True, width=30,
                   example="Nordwerk Automotive GmbH"),
            Column("owner", gettext_lazy("Owner"), "choice", choices=owners,
                   get=lambda c: user_name(c.owner),
                   help=gettext_lazy("The sales person's user name; empty: you.")),
            Column("email", label_of(Customer, "email"), "folded", width=24),
            Column("website", label_of(Customer, "website"), "folded", width=24),
            Column("phone", label_of(Customer, "phone"), "phone",
                   help=gettext_lazy("With its country code (+49 711 1234567), or as dialled in "
                                     "the customer's country.")),
            Column("country", label_of(Customer, "country"), "choice", choices=country_choices,
                   required=True, example="Germany"),
            Column("province", label_of(Customer, "province")),
            Column("city", label_of(Customer, "city")),
            Column("address", label_of(Customer, "address"), width=30),
            Column("region", label_of(Customer, "region"),
                   "choice" if region_choices() else "text",
                   choices=region_choices if region_choices() else None),
            Column("industry", label_of(Customer, "industry"), "choice",
                   choices=entries(Industry), get=lambda c: _code(c.industry)),
            Column("background", label_of(Customer, "background"), "choice",
                   choices=entries(Background), get=lambda c: _code(c.background)),
            Column("size", label_of(Customer, "size"), "choice", choices=size_choices),
            Column("main_products", label_of(Customer, "main_products"), width=24),
            Column("source", label_of(Customer, "source"), "choice",
                   choices=entries(CustomerSource), get=lambda c: _code(c.source)),
            Column("status", label_of(Customer, "status"), "choice",
                   choices=entries(BusinessStatus), get=lambda c: _code(c.status)),
            Column("next_step", label_of(Customer, "next_step"), width=24),
            Column("next_step_due", label_of(Customer, "next_step_due"), "date"),
            Column("nda_signed", label_of(Customer, "nda_signed"), "bool"),
            Column("nda_date", label_of(Customer, "nda_date"), "date"),
            Column("packaging_requirements", label_of(Customer, "packaging_requirements")),
            Column("inspection_requirements", label_of(Customer, "inspection_requirements")),
            Column("payment_requirements", label_of(Customer, "payment_requirements")),
            Column("satisfaction", label_of(Customer, "satisfaction"), "choice",
                   choices=lambda: [(str(n), str(n)) for n in range(1, 6)],
                   get=lambda c: "" if c.satisfaction is None else str(c.satisfaction)),
            Column("remark", label_of(Customer, "remark"), width=24),
            Column("is_key_account", label_of(Customer, "is_key_account"), "bool"),
            Column("loyalty_level", label_of(Customer, "loyalty_level"), "choice",
                   choices=choices_of(LoyaltyLevel),
                   get=lambda c: "" if c.loyalty_level is None else str(c.loyalty_level)),
            Column("class_override", label_of(Customer, "class_override"), "choice",
                   choices=choices_of(ContributionClass)),
            Column("class_override_reason", label_of(Customer, "class_override_reason")),
            Column("credit_level", label_of(Customer, "credit_level"), "choice",
                   choices=choices_of(CreditLevel)),
            Column("credit_limit", label_of(Customer, "credit_limit"), "decimal"),
        ]  # fmt: skip
        extra = sorted(set(services.customer_scheme().field_names) - set(Customer.coding_fields))
        for name in extra:
            table = services.coding_table(name)
            own.append(
                Column(f"code_{name}", name.replace("_", " ").capitalize(),
                       "choice" if table else "folded",
                       choices=(lambda n=name: services.coding_table(n)) if table else None,
                       get=lambda c, n=name: (c.code_values or {}).get(n, ""),
                       help=gettext_lazy("Part of the customer code."))
            )  # fmt: skip
        return [
            *own,
            Column("contribution_class", gettext_lazy("Class"), read_only=True,
                   get=lambda c: getattr(c, "contribution_class", ""),
                   help=gettext_lazy("A/B/C by contribution: computed, not imported.")),
            Column("last_contact", gettext_lazy("Last contact"), "date", read_only=True,
                   get=lambda c: getattr(c, "last_contact", None),
                   help=gettext_lazy("From mails, chats and the log: not imported.")),
            Column("created", label_of(Customer, "created_at"), "date", read_only=True,
                   get=lambda c: timezone.localtime(c.created_at).date()),
        ]  # fmt: skip

    def legacy_allowed(self, user) -> bool:
        return user.sees_everything

    def save_restored(self, record, fields, change, user) -> None:
        services.update_customer(record, user=user, expected_version=record.version,
                                 fields=fields)  # fmt: skip

    def not_yours(self, code: str) -> str:
        return _("No customer %(code)s among those you may change.") % {"code": code}

    def filtered(self, user, data: dict):
        return services.filter_customers(user, data)

    def for_export(self, records):
        return records.select_related("owner", "industry", "background", "source", "status")

    # Import -----------------------------------------------------------------------------------

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        customer = self.find(row, user)
        if customer is None:
            return self._create(row, context)
        return self._update(row, customer, context)

    def save_rows(self, rows: list[Row], context) -> list[Saved]:
        """The chunk's new customers checked row by row as `_create` checks them, then
        written together (services.create_customers: codes given in row order, one INSERT per
        table); the other rows as `save_together` says."""

        def new(row):
            customer = self._new(row, context)
            self._remember(customer, context, code="")  # a duplicate in the chunk fails it
            return customer

        return self.save_together(rows, context, new, lambda made: self._write(made, context))

    def _write(self, customers: list[Customer], context) -> list[Saved]:
        """Write new customers together, their history saying they were imported."""
        services.create_customers(customers, user=context.user)
        services.record_imports(customers, user=context.user, source=context.source)
        for customer in customers:
            self._remember(customer, context)  # with its code, given now
        return [self._saved_new(customer) for customer in customers]

    def _known(self, context) -> dict:
        """The visible customers by company key and email, kept up to date as rows are saved:
        a row without a code that is already in the archive is named, not entered twice."""
        known = context.cache.get("customers")
        if known is None:
            known = {}
            for code, key, email in Customer.objects.visible_to(context.user).values_list(
                "code", "name_key", "email"
            ):
                if key:
                    known.setdefault(("name", key), code)
                if email:
                    known.setdefault(("email", email.lower()), code)
            context.cache["customers"] = known
        return known

    def _duplicate(self, row: Row, customer, context) -> None:
        known = self._known(context)
        for what, value, key in (
            ("name", company_key(customer.company_name), "company_name"),
            ("email", customer.email.lower(), "email"),
        ):
            if value and (what, value) in known:
                row.fail(
                    key,
                    _("%(code)s is already in the archive with this %(what)s: give its code to "
                      "update it.")
                    % {"code": known[what, value],
                       "what": _("company name") if what == "name" else _("email")},
                )  # fmt: skip

    def _remember(self, customer, context, code: str | None = None) -> None:
        """Know the customer by its company key and email, under `code` (its own by default;
        a new customer of a chunk is known under "" until it is written and has its code)."""
        known = self._known(context)
        keys = [("name", company_key(customer.company_name))]
        if customer.email:
            keys.append(("email", customer.email.lower()))
        for key in keys:
            if not known.get(key):
                known[key] = customer.code if code is None else code

    def _owner_given(self, row: Row, user, current=None) -> str:
        wanted = row.get("owner") if row.given("owner") else ""
        if not wanted:  # an empty cell: the importer for a new customer, unchanged otherwise
            row.values.pop("owner", None)
        if not wanted or wanted == (current.username if current else user.username):
            return ""
        if not user.sees_everything:
            row.fail("owner", _("A manager hands a customer over."))
        return wanted

    def _create(self, row: Row, context) -> Saved:
        customer = self._new(row, context)
        services.create_customer(customer, user=context.user)
        note_import(customer, context)
        self._remember(customer, context)
        return self._saved_new(customer)

    def _new(self, row: Row, context) -> Customer:
        """The row's new customer, checked by the customer form, not saved yet; a row without
        a code that is already in the archive fails."""
        user = context.user
        self._owner_given(row, user)
        form = valid(
            fill(
                CustomerForm, row, row.columns.values(), user=user, creating=True, context=context
            ),
            row,
            self,
        )
        customer = form.save(commit=False)
        code = row.get("code")
        if code:
            customer.code = code
        else:
            self._duplicate(row, customer, context)
        return customer

    def _saved_new(self, customer) -> Saved:
        return Saved("new", customer, {"kind": self.name, "action": "new", "pk": customer.pk,
                                        "code": customer.code})  # fmt: skip

    def _update(self, row: Row, customer, context) -> Saved:
        user = context.user
        owner = self._owner_given(row, user, customer.owner)
        candidates = model_fields(
            Customer, [c.form_field for c in row.columns.values() if c.form_field]
        )
        before = snapshot(customer, candidates)
        version = customer.version
        form = valid(
            fill(CustomerForm, row, row.columns.values(), instance=customer, user=user), row, self
        )
        customer = form.save(commit=False)
        fields = model_fields(Customer, given_fields(row, row.columns.values(), form))
        after = snapshot(customer, fields)
        changed = [f for f in fields if before[f] != after[f]]
        if not changed and not owner:
            return Saved("unchanged", customer)
        if changed:
            services.update_customer(customer, user=user, expected_version=version, fields=changed)
        if owner:
            new_owner = staff().get(username=owner)
            services.set_sharing(customer, user=user, owner=new_owner,
                                 shared_with=list(customer.shared_with.all()))  # fmt: skip
        note_import(customer, context)
        undo = {"kind": self.name, "action": "updated", "pk": customer.pk, "code": customer.code,
                "version": customer.version,
                "before": {f: jsonable(before[f]) for f in changed}}  # fmt: skip
        return Saved("updated", customer, undo)


class Contacts(Kind):
    name = "contacts"
    label = gettext_lazy("Contacts")
    position = 20
    model = Contact
    scheme = "contact"
    help = gettext_lazy("People at the customers: one contact a row, named by customer code.")

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            Column("customer", gettext_lazy("Customer"), "code", required=True,
                   get=lambda c: c.customer.code, field=None, example="RK888",
                   help=gettext_lazy("The customer's code.")),
            Column("name", label_of(Contact, "name"), required=True, width=22),
            Column("job_title", label_of(Contact, "job_title")),
            Column("email", label_of(Contact, "email"), "folded", width=24),
            Column("phone", label_of(Contact, "phone"), "phone"),
            Column("whatsapp", label_of(Contact, "whatsapp"), "phone"),
            Column("wechat", label_of(Contact, "wechat")),
            Column("skype", label_of(Contact, "skype")),
            Column("notes", label_of(Contact, "notes"), width=24),
            Column("left_company", label_of(Contact, "left_company"), "bool"),
            Column("main", gettext_lazy("Main contact"), "bool", field=None,
                   get=lambda c: c.is_main),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        contacts = self.visible(user)
        if code := (data.get("customer") or "").strip():
            contacts = contacts.filter(customer__code__in=codes_registry.spellings(code))
        return contacts.order_by("customer__code", "code")

    def for_export(self, records):
        return records.select_related("customer")

    def not_yours(self, code: str) -> str:
        return _("No contact %(code)s among those you may change.") % {"code": code}

    def save_restored(self, record, fields, change, user) -> None:
        services.update_contact(record, user=user, expected_version=record.version,
                                fields=fields)  # fmt: skip

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        customer = customer_of(row, context)
        contact = self.find(row, user)
        if contact is not None and contact.customer_id != customer.pk:
            row.fail("customer", _("%(code)s is a contact of %(customer)s; it stays there.")
                     % {"code": contact.code, "customer": contact.customer.code})  # fmt: skip
        main = row.get("main") == "true"
        if contact is None:
            contact = self._new(row, customer, context)
            services.add_contact(contact, customer=customer, user=user, main=main)
            note_import(customer, context, contact)
            return self._saved_new(contact)
        candidates = model_fields(
            Contact, [c.form_field for c in row.columns.values() if c.form_field]
        )
        before = snapshot(contact, candidates)
        version = contact.version
        form = valid(
            fill(ContactForm, row, row.columns.values(), instance=contact, customer=customer),
            row,
            self,
        )
        contact = form.save(commit=False)
        fields = model_fields(Contact, given_fields(row, row.columns.values(), form))
        after = snapshot(contact, fields)
        changed = [f for f in fields if before[f] != after[f]]
        becomes_main = row.given("main") and main and not contact.is_main
        if not changed and not becomes_main:
            return Saved("unchanged", contact)
        if changed:
            services.update_contact(contact, user=user, expected_version=version, fields=changed)
        if becomes_main:
            services.make_main_contact(contact, user=user)
        note_import(customer, context, contact)
        undo = {"kind": self.name, "action": "updated", "pk": contact.pk, "code": contact.code,
                "version": contact.version,
                "before": {f: jsonable(before[f]) for f in changed}}  # fmt: skip
        return Saved("updated", contact, undo)

    def _new(self, row: Row, customer, context) -> Contact:
        """The row's new contact of `customer`, checked by the contact form, not saved yet."""
        form = valid(
            fill(ContactForm, row, row.columns.values(), customer=customer, context=context),
            row,
            self,
        )
        contact = form.save(commit=False)
        contact.left_company = row.get("left_company") == "true"
        if row.get("code"):
            contact.code = row.get("code")
        return contact

    def _saved_new(self, contact) -> Saved:
        return Saved("new", contact, {"kind": self.name, "action": "new", "pk": contact.pk,
                                       "code": contact.code})  # fmt: skip

    def save_rows(self, rows: list[Row], context) -> list[Saved]:
        """The chunk's new contacts checked row by row as save_row checks them, their
        customers found in one query, then written together (services.add_contacts: codes,
        history and main contacts as one by one). A row with a code of its own goes through
        save_row, after the new contacts before it are written: all in the order of the rows."""
        remember_named(Customer, [row.get("customer") for row in rows], context)
        chunk = Chunk(len(rows), lambda waiting: self._write(waiting, context))
        for position, row in enumerate(rows):
            if row.get("code"):
                chunk.alone(position, lambda row=row: self.save_row(row, context))
                continue
            customer = customer_of(row, context)
            contact = self._new(row, customer, context)
            chunk.wait(position, (contact, customer, row.get("main") == "true"))
        return chunk.done()

    def _write(self, waiting: list[tuple], context) -> list[Saved]:
        """Write new contacts together, their history saying they were imported."""
        contacts, customers, mains = map(list, zip(*waiting, strict=True))
        services.add_contacts(contacts, customers=customers, user=context.user, mains=mains)
        services.record_imports(customers, user=context.user, source=context.source,
                                contacts=contacts)  # fmt: skip
        return [self._saved_new(contact) for contact in contacts]


class CommunicationLog(Kind):
    name = "log"
    label = gettext_lazy("Communication log")
    position = 30
    model = Communication
    help = gettext_lazy(
        "Calls, mails, meetings and visits, one a row; a row already in the log is left alone."
    )

    @property
    def columns(self) -> list[Column]:
        return [
            Column("customer", gettext_lazy("Customer"), "code", required=True, field=None,
                   get=lambda e: e.customer.code, example="RK888",
                   help=gettext_lazy("The customer's code.")),
            Column("date", label_of(Communication, "date"), "date", required=True),
            Column("channel", label_of(Communication, "channel"), "choice", required=True,
                   choices=choices_of(Channel)),
            Column("direction", label_of(Communication, "direction"), "choice", required=True,
                   choices=choices_of(Direction)),
            Column("contact", label_of(Communication, "contact"), "code",
                   get=lambda e: _code(e.contact),
                   help=gettext_lazy("The contact's code, if it was one person.")),
            Column("summary", label_of(Communication, "summary"), required=True, width=40),
        ]  # fmt: skip

    def filtered(self, user, data: dict):
        entries = self.visible(user)
        if code := (data.get("customer") or "").strip():
            entries = entries.filter(customer__code__in=codes_registry.spellings(code))
        return entries.order_by("customer__code", "date", "pk")

    def for_export(self, records):
        return records.select_related("customer", "contact")

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        customer = customer_of(row, context)
        form = valid(
            fill(CommunicationForm, row, row.columns.values(), customer=customer, context=context),
            row,
            self,
        )
        entry = form.save(commit=False)
        same = Communication.objects.filter(
            customer=customer,
            date=entry.date,
            channel=entry.channel,
            direction=entry.direction,
            contact=entry.contact,
            summary=entry.summary,
        )
        if same.exists():
            return Saved("unchanged", same.first())
        services.log_communication(entry, customer=customer, user=user)
        return Saved("new", entry, {"kind": self.name, "action": "new", "pk": entry.pk,
                                     "code": customer.code})  # fmt: skip

    def preview(self, record) -> list:
        return super().preview(record)


def main_contacts():
    return Prefetch("contacts", Contact.objects.filter(is_main=True), to_attr="main_contacts")
