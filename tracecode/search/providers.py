"""What the index holds for customers and contacts; how the other apps plug their records in.

Each app registers its own models once, in its AppConfig.ready() (see index.py for the
entry dict), one line each:

    index.register(Project, project_entries)      # tracecode.sales: kind "project"
    index.register(Quotation, quotation_entries)  # kind "quotation"
    index.register(Order, order_entries)          # kind "order", plus "document" for PI/CI/PL
    index.register(Complaint, complaint_entries)  # kind "complaint"
    index.register(StoredFile, file_entries)      # tracecode.files: kind "file", with the
                                                  # text extracted from PDF/xlsx/docx/txt
    index.register(Mail, mail_entries)            # tracecode.mail: kind "mail"

where, for example:

    def order_entries(order):
        yield {"kind": "order", "code": order.code, "title": f"{order.code} {order.project.name}",
               "text": order.notes, "customer": order.project.customer_id,
               "url": order.get_absolute_url(), "date": order.ordered_on}

Existing records are indexed by `tracecode search reindex` after the registration is added.
"""

from django.apps import apps

from . import index

# Customer fields worth finding a customer by, when the model has them (the customer archive
# grows field by field; what is missing is skipped).
CUSTOMER_TEXT = (
    "email", "website", "phone", "country", "province", "city", "address", "region",
    "main_products", "remark", "next_step",
)  # fmt: skip
CONTACT_TEXT = ("job_title", "email", "phone", "whatsapp", "wechat", "skype", "notes")


def _text(obj, names) -> str:
    values = (getattr(obj, name, "") for name in names)
    return " ".join(str(value) for value in values if value not in (None, ""))


def customer_entries(customer):
    yield {
        "kind": "customer",
        "code": customer.code,
        "title": customer.company_name,
        "text": _text(customer, CUSTOMER_TEXT),
        "customer": customer.pk,
        "url": customer.get_absolute_url(),
        "date": getattr(customer, "created_at", None),
        "parents": [],
    }


def contact_entries(contact):
    customer = contact.customer
    yield {
        "kind": "contact",
        "code": contact.code,
        "title": contact.name,
        "text": _text(contact, CONTACT_TEXT),
        "customer": customer.pk,
        "url": f"{customer.get_absolute_url()}#contacts",
        "date": getattr(contact, "created_at", None),
        "parents": [customer.code],
    }


def register() -> None:
    """Index customers, and contacts where the customers app has them."""
    index.register(apps.get_model("customers", "Customer"), customer_entries)
    try:
        contact = apps.get_model("customers", "Contact")
    except LookupError:
        return
    index.register(
        contact, contact_entries, queryset=lambda: contact.objects.select_related("customer")
    )
