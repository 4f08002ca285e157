"""The customers app's kinds in the record registry: customers, contacts, the communication log.

How each shows on a page, what the search index holds for it and which files it has in the
client folder framework; registered from CustomersConfig.ready().
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row

from .models import Communication, Contact, Customer

# Customer fields worth finding a customer by.
CUSTOMER_TEXT = (
    "email", "website", "phone", "country", "province", "city", "address", "region",
    "main_products", "remark", "next_step",
)  # fmt: skip
CONTACT_TEXT = ("job_title", "email", "phone", "whatsapp", "wechat", "skype", "notes")


def _text(obj, names) -> str:
    values = (getattr(obj, name, "") for name in names)
    return " ".join(str(value) for value in values if value not in (None, ""))


def customer_row(customer: Customer) -> Row:
    return Row(
        title=customer.company_name,
        url=customer.get_absolute_url(),
        code=customer.code,
        date=customer.created_at,
        state=_("archived") if customer.is_archived else "",
        state_key="cancelled" if customer.is_archived else "",
        links=[
            (_("Customer sheet"), customer.get_absolute_url()),
            (_("Folder as .zip"), reverse("files:zip", args=[customer.code])),
        ],
    )


def customer_entries(customer: Customer):
    yield {
        "kind": "customer",
        "code": customer.code,
        "title": customer.company_name,
        "text": _text(customer, CUSTOMER_TEXT),
        "customer": customer.pk,
        "url": customer.get_absolute_url(),
        "date": customer.created_at,
        "parents": [],
    }


def customer_files(customer: Customer):
    from tracecode.files import tree

    yield tree.information_sheet(customer)


def contact_row(contact: Contact) -> Row:
    details = [d for d in (contact.job_title, contact.email, contact.phone) if d]
    return Row(
        title=contact.name,
        url=f"{contact.customer.get_absolute_url()}#contacts",
        code=contact.code,
        state=_("main contact") if contact.is_main else "",
        state_key="accepted" if contact.is_main else "",
        details=details,
        warning=_("no longer at the company") if contact.left_company else "",
    )


def contact_entries(contact: Contact):
    customer = contact.customer
    yield {
        "kind": "contact",
        "code": contact.code,
        "title": contact.name,
        "text": _text(contact, CONTACT_TEXT),
        "customer": customer.pk,
        "url": f"{customer.get_absolute_url()}#contacts",
        "date": contact.created_at,
        "parents": [customer.code],
    }


def log_row(entry: Communication) -> Row:
    details = [entry.get_channel_display(), entry.get_direction_display()]
    if entry.contact_id:
        details.append(entry.contact.name)
    return Row(
        title=entry.summary,
        url=f"{entry.customer.get_absolute_url()}#communication",
        date=entry.date,
        badge=_("log"),
        details=details,
    )


def log_entries(entry: Communication):
    yield {
        "kind": "log",
        "code": entry.customer.code,
        "title": f"{entry.get_channel_display()} · {entry.summary[:80]}",
        "text": entry.summary,
        "customer": entry.customer_id,
        "url": f"{entry.customer.get_absolute_url()}#communication",
        "date": entry.date,
        "parents": [],
    }


def register() -> None:
    registry.register(
        registry.Kind(
            "customer", Customer, _("Customers"), position=10, row=customer_row,
            entries=customer_entries, files=customer_files, date="created_at",
            short_query=True, folder=lambda customer: customer.company_name,
        )
    )  # fmt: skip
    registry.register(
        registry.Kind(
            "contact", Contact, _("Contacts"), position=95, parent="customer",
            row=contact_row, entries=contact_entries, date="created_at", short_query=True,
            related=("customer",),
            entries_queryset=lambda: Contact.objects.select_related("customer"),
        )
    )  # fmt: skip
    registry.register(
        registry.Filed(
            "log", Communication, _("Communication log"), position=90,
            code_path="customer__code", date="date", contact="date", row=log_row,
            entries=log_entries, related=("customer", "contact"),
            direction="direction",
            entries_queryset=lambda: Communication.objects.select_related("customer"),
        )
    )  # fmt: skip
