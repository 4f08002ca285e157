"""/api/customers/: the customer archive for programs, with the same rules and messages as
the pages. Input is validated by the pages' own forms, so a bad field answers 422 with the
message the form shows. A customer's code is given at creation and never changes."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import INVALID, Input, PageIn, answers
from tracecode.core.errors import ApiError
from tracecode.core.refusals import FormErrors

from . import services
from .countries import BadPhone, country_name, to_e164
from .duplicates import find_duplicates
from .forms import (
    CommunicationForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    staff,
)
from .models import Contact, Customer, ListEntry

router = Router(tags=["customers"])


# Shapes ------------------------------------------------------------------------------------


class ContactOut(Schema):
    code: str
    name: str
    job_title: str
    email: str
    phone: str = Field(description="E.164")
    whatsapp: str = Field(description="E.164")
    wechat: str
    skype: str
    notes: str
    is_main: bool
    left_company: bool
    version: int


class SheetFiguresOut(Schema):
    quotes: int
    first_quotation: datetime.date | None
    first_cooperation: datetime.date | None
    orders_per_year: dict[str, int]
    open_complaints: int
    has_orders: bool
    last_contact: datetime.date | None
    communication_per_month: Decimal = Field(description="average of the last three months")
    response_status: str = Field(description="reply_received, no_reply, order_placed or empty")


class MainContactChangeOut(Schema):
    changed_at: datetime.datetime
    changed_by: str | None
    previous: str
    new: str


class CustomerOut(Schema):
    code: str
    company_name: str
    email: str
    website: str
    phone: str = Field(description="E.164")
    country: str = Field(description="ISO 3166-1 alpha-2")
    country_name: str
    province: str
    city: str
    address: str
    region: str
    industry: str | None = Field(description="code of the industry list entry")
    background: str | None
    size: str
    main_products: str
    source: str | None
    code_values: dict
    owner: str
    shared_with: list[str]
    status: str | None = Field(description="code of the business status")
    next_step: str
    next_step_due: datetime.date | None
    nda_signed: bool
    nda_date: datetime.date | None
    packaging_requirements: str
    inspection_requirements: str
    payment_requirements: str
    satisfaction: int | None
    remark: str
    is_key_account: bool
    loyalty_level: int | None
    contribution_class: str = Field(description="A, B, C or empty: set by hand, else computed")
    class_override: str
    class_override_reason: str
    credit_level: str
    credit_limit: Decimal | None
    domestic: bool | None
    archived: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    url: str


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]
    figures: SheetFiguresOut
    main_contact_changes: list[MainContactChangeOut]


class CustomerPage(Schema):
    items: list[CustomerOut]
    count: int


class DuplicateOut(Schema):
    code: str
    company_name: str
    reasons: list[str]
    url: str


class CreatedOut(CustomerDetailOut):
    duplicates: list[DuplicateOut] = Field(
        description="customers that looked the same (warning only)"
    )


def date_text(description: str = "") -> Field:
    """A date as the form reads it (YYYY-MM-DD): a bad one gets the form's message."""
    return Field(None, json_schema_extra={"format": "date"}, description=description)


class CustomerIn(Input):
    company_name: str | None = None
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    country: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    region: str | None = None
    industry: str | None = None
    background: str | None = None
    size: str | None = None
    main_products: str | None = None
    source: str | None = None
    status: str | None = None
    next_step: str | None = None
    next_step_due: str | None = date_text()
    nda_signed: bool | None = None
    nda_date: str | None = date_text()
    packaging_requirements: str | None = None
    inspection_requirements: str | None = None
    payment_requirements: str | None = None
    satisfaction: int | None = Field(None, description="1 to 5")
    remark: str | None = None
    is_key_account: bool | None = None
    loyalty_level: int | None = Field(None, description="1, 2 or 3")
    class_override: str | None = None
    class_override_reason: str | None = None
    credit_level: str | None = None
    credit_limit: Decimal | None = None
    code: str | None = Field(None, description="never accepted: codes are given, not typed")


class CustomerCreate(CustomerIn):
    owner: str | None = Field(None, description="username; managers only, else yourself")
    shared_with: list[str] = Field(default_factory=list, description="usernames")
    code_values: dict[str, str] = Field(
        default_factory=dict, description="other fields the customer coding scheme asks for"
    )


class CustomerPatch(CustomerIn):
    version: int | None = Field(None, description="the version you read; a stale one answers 409")


class SharingIn(Input):
    owner: str | None = None
    shared_with: list[str] = Field(default_factory=list)


class ContactIn(Input):
    name: str | None = None
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None
    whatsapp: str | None = None
    wechat: str | None = None
    skype: str | None = None
    notes: str | None = None
    left_company: bool | None = None
    main: bool = Field(False, description="make this the main contact")
    version: int | None = Field(None, description="the version you read (PATCH)")
    code: str | None = Field(None, description="never accepted")


class CommunicationIn(Input):
    date: str | None = date_text("today when left out")
    channel: str | None = Field(None, description="mail, call, whatsapp, wechat, meeting, visit")
    direction: str | None = Field(None, description="in (from the customer) or out")
    contact: str | None = Field(None, description="contact code")
    summary: str | None = None


class CommunicationOut(Schema):
    date: datetime.date
    channel: str
    direction: str
    contact: str | None
    summary: str
    created_by: str | None
    created_at: datetime.datetime


class ChangeOut(Schema):
    changed_at: datetime.datetime
    changed_by: str | None
    subject: str
    action: str
    field: str
    old_value: str
    new_value: str


class FollowUpOut(Schema):
    code: str
    company_name: str
    next_step: str
    next_step_due: datetime.date
    overdue: bool
    status: str | None
    url: str


class CustomerFilters(Schema):
    q: str | None = None
    status: str | None = None
    country: str | None = None
    industry: str | None = None
    contribution: str | None = Field(None, description="A, B or C")
    owner: str | None = Field(None, description="username")
    due: str | None = Field(None, description="due, overdue or week")
    key: str | None = Field(None, description="key or regular")
    market: str | None = Field(None, description="domestic or international")
    archived: str | None = Field(None, description="empty: current; archived; all")
    sort: str | None = None


# Helpers -----------------------------------------------------------------------------------


def _code(entry) -> str | None:
    return entry.code if entry is not None else None


def customer_dict(customer: Customer, contribution_class: str = "") -> dict:
    return {
        "code": customer.code,
        "company_name": customer.company_name,
        "email": customer.email,
        "website": customer.website,
        "phone": customer.phone,
        "country": customer.country,
        "country_name": country_name(customer.country),
        "province": customer.province,
        "city": customer.city,
        "address": customer.address,
        "region": customer.region,
        "industry": _code(customer.industry),
        "background": _code(customer.background),
        "size": customer.size,
        "main_products": customer.main_products,
        "source": _code(customer.source),
        "code_values": customer.code_values or {},
        "owner": customer.owner.username,
        "shared_with": sorted(u.username for u in customer.shared_with.all()),
        "status": _code(customer.status),
        "next_step": customer.next_step,
        "next_step_due": customer.next_step_due,
        "nda_signed": customer.nda_signed,
        "nda_date": customer.nda_date,
        "packaging_requirements": customer.packaging_requirements,
        "inspection_requirements": customer.inspection_requirements,
        "payment_requirements": customer.payment_requirements,
        "satisfaction": customer.satisfaction,
        "remark": customer.remark,
        "is_key_account": customer.is_key_account,
        "loyalty_level": customer.loyalty_level,
        "contribution_class": contribution_class,
        "class_override": customer.class_override,
        "class_override_reason": customer.class_override_reason,
        "credit_level": customer.credit_level,
        "credit_limit": customer.credit_limit,
        "domestic": customer.is_domestic,
        "archived": customer.is_archived,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "version": customer.version,
        "url": customer.get_absolute_url(),
    }


def detail_dict(customer: Customer) -> dict:
    sheet = services.sheet(customer)
    figures, comm = sheet.figures, sheet.communication
    data = customer_dict(customer, sheet.contribution_class)
    data["contacts"] = list(customer.contacts.all())
    data["figures"] = {
        "quotes": figures.quotes,
        "first_quotation": figures.first_quotation,
        "first_cooperation": figures.first_cooperation,
        "orders_per_year": {str(y): n for y, n in figures.orders_per_year.items()},
        "open_complaints": len(figures.open_complaints),
        "has_orders": figures.has_orders,
        "last_contact": comm.last_contact,
        "communication_per_month": comm.per_month,
        "response_status": comm.response_status,
    }
    data["main_contact_changes"] = [
        {
            "changed_at": c.changed_at,
            "changed_by": c.changed_by.username if c.changed_by else None,
            "previous": c.previous_name,
            "new": c.new_name,
        }
        for c in customer.main_contact_changes.select_related("changed_by")
    ]
    return data


def _customers():
    return Customer.objects.select_related(
        "owner", "industry", "background", "source", "status"
    ).prefetch_related("shared_with")


def refuse_code(payload) -> None:
    if getattr(payload, "code", None) is not None:
        raise ApiError(
            422,
            "validation_error",
            INVALID,
            {"code": ["A code is given by the system once and never changes."]},
        )


def current_values(form) -> dict:
    """A bound form's starting point for a partial update: the record's saved values."""
    data = {}
    for name in form.fields:
        if name == "version":
            continue
        value = getattr(form.instance, name, None)
        if isinstance(value, ListEntry):
            value = value.code
        elif hasattr(value, "pk"):
            value = getattr(value, "code", value.pk)
        if value is None:
            value = ""
        data[name] = value
    return data


def _users(usernames, field):
    users = list(staff().filter(username__in=usernames))
    unknown = sorted(set(usernames) - {u.username for u in users})
    if unknown:
        raise ApiError(
            422, "validation_error", INVALID, {field: [f"Unknown user: {', '.join(unknown)}"]}
        )
    return users


# Customers ---------------------------------------------------------------------------------


@router.get("/", response=answers(CustomerPage, 422), summary="Customers you may see, filtered")
def list_customers(request, filters: Query[CustomerFilters], page: Query[PageIn]):
    form = CustomerFilterForm({k: v for k, v in filters.dict().items() if v is not None})
    if not form.is_valid():
        raise FormErrors(form)
    customers = services.filter_customers(request.user, form.cleaned_data).prefetch_related(
        "shared_with"
    )
    count = customers.count()
    rows = list(customers[page.offset : page.offset + page.limit])
    return {"items": [customer_dict(c, c.contribution_class) for c in rows], "count": count}


@router.get(
    "/follow-ups", response=answers(list[FollowUpOut]), summary="My due and overdue next steps"
)
def my_follow_ups(request):
    today = timezone.localdate()
    return [
        {
            "code": c.code,
            "company_name": c.company_name,
            "next_step": c.next_step,
            "next_step_due": c.next_step_due,
            "overdue": c.next_step_due < today,
            "status": _code(c.status),
            "url": c.get_absolute_url(),
        }
        for c in services.follow_ups(request.user, today=today)
    ]


@router.get(
    "/duplicates",
    response=answers(list[DuplicateOut], 422),
    summary="Customers that look like this one",
)
def duplicates(
    request,
    company_name: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    country: str = "",
):
    try:
        phone = to_e164(phone, country)
    except BadPhone:
        phone = ""
    found = find_duplicates(
        request.user, company_name=company_name, email=email, phone=phone, website=website
    )
    return [_duplicate(d) for d in found]


def _duplicate(d) -> dict:
    return {
        "code": d.customer.code,
        "company_name": d.customer.company_name,
        "reasons": d.reasons,
        "url": d.customer.get_absolute_url(),
    }


@router.post(
    "/",
    response=answers({201: CreatedOut}, 400, 403, 422),
    summary="Create a customer; its code is given",
)
def create_customer(request, payload: CustomerCreate):
    if not request.user.can_write:
        raise PermissionDenied
    refuse_code(payload)
    data = payload.dict(exclude={"shared_with", "code_values", "code"}, exclude_none=True)
    for name, value in payload.code_values.items():
        data[f"code_{name}"] = value
    if payload.owner is None:
        data.pop("owner", None)
    form = CustomerForm(data, user=request.user, creating=True)
    if not form.is_valid():
        raise FormErrors(form)
    shared = _users(payload.shared_with, "shared_with")
    customer = form.save(commit=False)
    if payload.owner is not None and "owner" not in form.fields:
        customer.owner = _users([payload.owner], "owner")[0]  # the service says who may
    found = find_duplicates(
        request.user,
        company_name=customer.company_name,
        email=customer.email,
        phone=customer.phone,
        website=customer.website,
    )
    services.create_customer(customer, user=request.user, shared_with=shared)
    customer = _customers().get(pk=customer.pk)
    return Status(201, {**detail_dict(customer), "duplicates": [_duplicate(d) for d in found]})


@router.get(
    "/{code}",
    response=answers(CustomerDetailOut, 404, 422),
    summary="One customer's sheet, by code",
)
def get_customer(request, code: str):
    return detail_dict(visible_or_404(_customers(), request.user, code=code))


@router.patch(
    "/{code}",
    response=answers(CustomerDetailOut, 400, 403, 404, 409, 422),
    summary="Change fields (never the code)",
)
def update_customer(request, code: str, payload: CustomerPatch):
    customer = editable_or_404(_customers(), request.user, code=code)
    if payload.code is not None and payload.code != customer.code:
        refuse_code(payload)
    form = CustomerForm(instance=customer, user=request.user)
    data = {
        **current_values(form),
        **payload.dict(exclude_unset=True, exclude={"code"}),
    }
    form = CustomerForm(data, instance=customer, user=request.user)
    if not form.is_valid():
        raise FormErrors(form)
    services.update_customer(
        form.save(commit=False),
        user=request.user,
        expected_version=form.cleaned_data["version"],
        fields=form.model_fields(),
    )
    return detail_dict(_customers().get(pk=customer.pk))


@router.put(
    "/{code}/sharing",
    response=answers(CustomerDetailOut, 400, 403, 404, 422),
    summary="Owner and sharing",
)
def set_sharing(request, code: str, payload: SharingIn):
    customer = _managed(request, code)
    owner = _users([payload.owner], "owner")[0] if payload.owner else customer.owner
    shared_with = _users(payload.shared_with, "shared_with")
    services.set_sharing(customer, user=request.user, owner=owner, shared_with=shared_with)
    if not Customer.objects.visible_to(request.user).filter(pk=customer.pk).exists():
        raise ApiError(404, "not_found", "Handed over: you no longer see this customer.")
    return detail_dict(_customers().get(pk=customer.pk))


def _managed(request, code):
    customer = editable_or_404(_customers(), request.user, code=code)
    if not services.can_manage(request.user, customer):
        raise PermissionDenied
    return customer


@router.post(
    "/{code}/archive", response=answers(CustomerDetailOut, 403, 404, 422), summary="Archive it"
)
def archive(request, code: str):
    customer = _managed(request, code)
    services.archive_customer(customer, user=request.user)
    return detail_dict(customer)


@router.post(
    "/{code}/restore",
    response=answers(CustomerDetailOut, 403, 404, 422),
    summary="Make it current again",
)
def restore(request, code: str):
    customer = _managed(request, code)
    services.restore_customer(customer, user=request.user)
    return detail_dict(customer)


@router.delete(
    "/{code}",
    response=answers({204: None}, 403, 404, 409, 422),
    summary="Delete a customer entered by mistake (409 once it has orders: archive it)",
)
def delete(request, code: str):
    customer = _managed(request, code)
    services.delete_customer(customer, user=request.user)
    return Status(204, None)


@router.get(
    "/{code}/history",
    response=answers(list[ChangeOut], 404, 422),
    summary="Every change, newest first",
)
def history(request, code: str):
    customer = visible_or_404(Customer.objects, request.user, code=code)
    return [
        {
            "changed_at": r.changed_at,
            "changed_by": r.changed_by.username if r.changed_by else None,
            "subject": r.subject,
            "action": r.action,
            "field": r.field,
            "old_value": r.old_value,
            "new_value": r.new_value,
        }
        for r in customer.changes.select_related("changed_by")
    ]


# Contacts ----------------------------------------------------------------------------------


@router.get(
    "/{code}/contacts",
    response=answers(list[ContactOut], 404, 422),
    summary="The customer's contacts",
)
def list_contacts(request, code: str):
    customer = visible_or_404(Customer.objects, request.user, code=code)
    return list(customer.contacts.all())


@router.post(
    "/{code}/contacts",
    response=answers({201: ContactOut}, 400, 403, 404, 422),
    summary="Add a contact",
)
def add_contact(request, code: str, payload: ContactIn):
    customer = editable_or_404(Customer.objects, request.user, code=code)
    refuse_code(payload)
    data = payload.dict(exclude={"main", "version", "code"}, exclude_none=True)
    form = ContactForm(data, customer=customer)
    if not form.is_valid():
        raise FormErrors(form)
    contact = form.save(commit=False)
    services.add_contact(contact, customer=customer, user=request.user, main=payload.main)
    contact.refresh_from_db()
    return Status(201, contact)


def _contact(request, code, contact_code, *, editable=True):
    find = editable_or_404 if editable else visible_or_404
    return find(
        Contact.objects.select_related("customer"),
        request.user,
        code=contact_code,
        customer__code=code,
    )


@router.patch(
    "/{code}/contacts/{contact_code}",
    response=answers(ContactOut, 400, 403, 404, 409, 422),
    summary="Change a contact",
)
def update_contact(request, code: str, contact_code: str, payload: ContactIn):
    contact = _contact(request, code, contact_code)
    if payload.code is not None and payload.code != contact.code:
        refuse_code(payload)
    form = ContactForm(instance=contact, customer=contact.customer)
    changes = payload.dict(exclude_unset=True, exclude={"main", "code"})
    form = ContactForm(
        {**current_values(form), **changes}, instance=contact, customer=contact.customer
    )
    if not form.is_valid():
        raise FormErrors(form)
    services.update_contact(
        form.save(commit=False),
        user=request.user,
        expected_version=form.cleaned_data["version"],
        fields=form.model_fields(),
    )
    if payload.main:
        services.make_main_contact(contact, user=request.user)
    contact.refresh_from_db()
    return contact


@router.post(
    "/{code}/contacts/{contact_code}/main",
    response=answers(ContactOut, 403, 404, 422),
    summary="Make it the main contact",
)
def make_main(request, code: str, contact_code: str):
    contact = _contact(request, code, contact_code)
    services.make_main_contact(contact, user=request.user)
    contact.refresh_from_db()
    return contact


# Communication log -------------------------------------------------------------------------


def _entry(entry) -> dict:
    return {
        "date": entry.date,
        "channel": entry.channel,
        "direction": entry.direction,
        "contact": entry.contact.code if entry.contact else None,
        "summary": entry.summary,
        "created_by": entry.created_by.username if entry.created_by else None,
        "created_at": entry.created_at,
    }


@router.get(
    "/{code}/log",
    response=answers(list[CommunicationOut], 404, 422),
    summary="The communication log",
)
def list_log(request, code: str):
    customer = visible_or_404(Customer.objects, request.user, code=code)
    return [_entry(e) for e in customer.communications.select_related("contact", "created_by")]


@router.post(
    "/{code}/log",
    response=answers({201: CommunicationOut}, 400, 403, 404, 422),
    summary="Log a conversation",
)
def add_log(request, code: str, payload: CommunicationIn):
    customer = editable_or_404(Customer.objects, request.user, code=code)
    data = payload.dict(exclude_none=True)
    data.setdefault("date", timezone.localdate())
    form = CommunicationForm(data, customer=customer)
    if not form.is_valid():
        raise FormErrors(form)
    entry = services.log_communication(
        form.save(commit=False), customer=customer, user=request.user
    )
    return Status(201, _entry(entry))
