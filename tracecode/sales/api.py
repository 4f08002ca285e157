"""/api/sales/: projects, quotations, orders and their moves, documents, complaints.

Input is validated by the same forms as the pages (field errors are the same, 422), and
saved by the same services. A move the workflow refuses is 409 `illegal_transition`; an
edit saved over someone else's is 409 `conflict` with what they changed; what the caller
may not see is 404, what they may see but not change 403.
"""

import contextlib
import datetime
import posixpath
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.api import Input, Pagination, answers
from tracecode.core.concurrency import StaleEdit
from tracecode.core.errors import ApiError
from tracecode.customers.models import Customer
from tracecode.files import services as files

from . import services, workflow
from .documents import DocumentError
from .figures import customer_figures
from .forms import (
    BomLineFormSet,
    CheckpointForm,
    ComplaintForm,
    DocumentForm,
    InspectionForm,
    MaterialLotForm,
    OrderForm,
    OrderLineFormSet,
    PaymentForm,
    ProjectForm,
    QuotationForm,
    QuotationLineFormSet,
    RepairForm,
    formset_data,
)
from .models import (
    Complaint,
    Document,
    MaterialLot,
    Order,
    OrderState,
    Project,
    Quotation,
    QuotationRevision,
)

router = Router(tags=["sales"])


# Errors and input ---------------------------------------------------------------------------


@contextlib.contextmanager
def refusals():
    """The sales errors as the API's one error shape."""
    try:
        yield
    except workflow.IllegalTransition as error:
        raise ApiError(409, "illegal_transition", error.message) from None
    except StaleEdit as error:
        fields = {c.field: [f"now {c.theirs}, saved by someone else"] for c in error.changes}
        message = (
            f"Someone else saved this since you read it (now version {error.current.version}); "
            "read it again and repeat your change."
        )
        raise ApiError(409, "conflict", message, fields) from None
    except CodingError as error:
        fields = {error.field: [str(error)]} if error.field else {}
        raise ApiError(422, "coding_error", str(error), fields) from None
    except DocumentError as error:
        raise ApiError(500, "document_failed", str(error)) from None


def plain(value):
    """A value as a form field receives it from a browser."""
    if value is None:
        return ""
    if isinstance(value, datetime.date | Decimal | int | float):
        return str(value)
    return value


def bound(form_class, payload: dict, *, instance=None, **kwargs):
    """The form bound to the current values overlaid with what the client sent."""
    if instance is not None:
        kwargs["instance"] = instance
    probe = form_class(**kwargs)
    data = {}
    for name in probe.fields:
        value = payload[name] if name in payload else probe[name].value()
        data[name] = plain(value)
    return form_class(data, **kwargs)


def valid(form):
    """The form's cleaned data, or 422 with its field errors."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def valid_lines(
    formset_class, rows: list[dict], prefix: str = "lines", customer=None
) -> list[dict]:
    """Lines checked by the page's formset; errors are named `lines.0.quantity`. With
    `customer`, a line may name one of its registered parts (`part`: its code)."""
    kwargs = {"form_kwargs": {"customer": customer}} if customer is not None else {}
    formset = formset_class(
        formset_data([{k: plain(v) for k, v in r.items()} for r in rows], prefix),
        prefix=prefix,
        **kwargs,
    )
    if not formset.is_valid():
        fields = {}
        for i, errors in enumerate(formset.errors):
            for name, messages in errors.items():
                fields[f"{prefix}.{i}.{name}"] = messages
        if formset.non_form_errors():
            fields[prefix] = list(formset.non_form_errors())
        raise ValidationError(fields)
    return formset.lines()


def require_version(payload: dict) -> None:
    if payload.get("version") is None:
        raise ValidationError({"version": ["Send the version you read (optimistic locking)."]})


def patched(form_class, formset_class, instance, payload):
    """A versioned PATCH of a record with lines: (bound form, cleaned data, checked lines);
    lines are None when the client sent none."""
    data = payload.dict(exclude_unset=True)
    require_version(data)
    data.pop("lines", None)
    rows = [line.dict() for line in payload.lines] if payload.lines is not None else None
    customer = instance.project.customer
    lines = valid_lines(formset_class, rows, customer=customer) if rows is not None else None
    form = bound(form_class, data, instance=instance)
    return form, valid(form), lines


# Schemas ----------------------------------------------------------------------------------


class ProjectIn(Input):
    customer: str
    name: str | None = None
    part: str | None = None
    received_on: datetime.date | None = None
    channel: str | None = None
    request: str | None = None
    target_quantity: Decimal | None = None
    quantity_unit: str | None = None
    target_price: Decimal | None = None
    currency: str | None = None


class ProjectPatch(Input):
    version: int
    name: str | None = None
    part: str | None = None
    received_on: datetime.date | None = None
    channel: str | None = None
    request: str | None = None
    target_quantity: Decimal | None = None
    quantity_unit: str | None = None
    target_price: Decimal | None = None
    currency: str | None = None
    status: str | None = None
    lost_reason: str | None = None


class ProjectOut(Schema):
    code: str
    name: str
    customer: str
    received_on: datetime.date
    channel: str
    request: str
    target_quantity: Decimal | None
    quantity_unit: str
    target_price: Decimal | None
    currency: str
    status: str
    lost_reason: str
    version: int
    part: str | None = None

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_part(obj) -> str | None:
        return obj.part.code if obj.part_id else None


class FileOut(Schema):
    id: int
    project: str
    name: str
    kind: str
    description: str
    size: int
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code


def _part_code(line) -> str | None:
    return line.part.code if line.part_id else None


class QuotationLine(Schema):
    part: str | None = None
    item: str = ""
    specification: str = ""
    quantity: Decimal
    unit: str = "pcs"
    unit_price: Decimal


class QuotationLineIn(QuotationLine, Input):
    pass


class QuotationLineOut(QuotationLine):
    @staticmethod
    def resolve_part(obj) -> str | None:
        return _part_code(obj)


class QuotationIn(Input):
    project: str
    quoted_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    currency: str | None = None
    incoterm: str | None = None
    incoterm_place: str | None = None
    lead_time: str | None = None
    payment_terms: str | None = None
    notes: str | None = None
    lines: list[QuotationLineIn] = []


class QuotationPatch(Input):
    version: int
    quoted_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    currency: str | None = None
    incoterm: str | None = None
    incoterm_place: str | None = None
    lead_time: str | None = None
    payment_terms: str | None = None
    notes: str | None = None
    lines: list[QuotationLineIn] | None = None


class RevisionOut(Schema):
    number: int
    issued_on: datetime.date
    pdf_url: str

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return f"/api/sales/quotations/{obj.quotation.code}/revisions/{obj.number}/pdf"


class QuotationOut(Schema):
    code: str
    project: str
    quoted_on: datetime.date
    valid_until: datetime.date
    currency: str
    incoterm: str
    incoterm_place: str
    lead_time: str
    payment_terms: str
    notes: str
    status: str
    version: int
    lines: list[QuotationLineOut]
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_revisions(obj):
        return list(obj.revisions.select_related("quotation").order_by("number"))


class StatusIn(Input):
    status: str


class OrderLine(Schema):
    part: str | None = None
    part_number: str = ""
    specification: str = ""
    quantity: Decimal
    unit: str = "pcs"
    unit_price: Decimal
    cartons: int | None = None
    net_weight: Decimal | None = None
    gross_weight: Decimal | None = None
    hs_code: str = ""
    origin: str = ""
    carton_length: Decimal | None = None
    carton_width: Decimal | None = None
    carton_height: Decimal | None = None


class OrderLineIn(OrderLine, Input):
    pass


class OrderLineOut(OrderLine):
    amount: Decimal

    @staticmethod
    def resolve_part(obj) -> str | None:
        return _part_code(obj)


class OrderFields(Input):
    customer_po: str | None = None
    ordered_on: datetime.date | None = None
    delivery_date: datetime.date | None = None
    internal_due_date: datetime.date | None = None
    currency: str | None = None
    incoterm: str | None = None
    incoterm_place: str | None = None
    payment_terms: str | None = None
    payment_due_on: datetime.date | None = None
    packaging_requirements: str | None = None
    inspection_requirements: str | None = None
    process_requirements: str | None = None
    notes: str | None = None


class OrderIn(OrderFields):
    project: str
    kind: str
    lines: list[OrderLineIn] = []


class OrderPatch(OrderFields):
    version: int
    lines: list[OrderLineIn] | None = None


class EventOut(Schema):
    action: str
    text: str
    from_state: str
    to_state: str
    note: str
    at: datetime.datetime
    by: str | None

    @staticmethod
    def resolve_text(obj) -> str:
        return workflow.describe(obj)

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.by.username if obj.by else None


class PaymentOut(Schema):
    received_on: datetime.date
    amount: Decimal
    method: str
    reference: str
    note: str


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    version: int
    issued_on: datetime.date
    pdf_url: str
    xlsx_url: str

    @staticmethod
    def resolve_pdf_url(obj) -> str:
        return f"/api/sales/documents/{obj.pk}/pdf"

    @staticmethod
    def resolve_xlsx_url(obj) -> str:
        return f"/api/sales/documents/{obj.pk}/xlsx"


class CheckpointOut(Schema):
    name: str
    done_on: datetime.date
    note: str


class OrderSummary(Schema):
    code: str
    project: str
    project_name: str
    customer: str
    kind: str
    state: str
    ordered_on: datetime.date
    delivery_date: datetime.date
    currency: str
    total: Decimal
    paid: Decimal
    balance: Decimal
    payment_overdue: bool
    delivery_late: bool

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj) -> str:
        return obj.project.name

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.project.customer.code

    @staticmethod
    def resolve_payment_overdue(obj) -> bool:
        return obj.is_payment_overdue

    @staticmethod
    def resolve_delivery_late(obj) -> bool:
        return obj.is_delivery_late


class OrderOut(OrderSummary):
    version: int
    customer_po: str
    internal_due_date: datetime.date
    confirmed_on: datetime.date | None
    incoterm: str
    incoterm_place: str
    payment_terms: str
    payment_due_on: datetime.date | None
    packaging_requirements: str
    inspection_requirements: str
    process_requirements: str
    notes: str
    carrier: str
    tracking_number: str
    etd: datetime.date | None
    eta: datetime.date | None
    eta_told_on: datetime.date | None
    arrived_on: datetime.date | None
    cancel_reason: str
    lines: list[OrderLineOut]
    checkpoints: list[CheckpointOut]
    payments: list[PaymentOut]
    documents: list[DocumentOut]
    complaints: list[str]
    timeline: list[EventOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_checkpoints(obj):
        return list(obj.checkpoints.all())

    @staticmethod
    def resolve_payments(obj):
        return list(obj.payments.all())

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.select_related("order").order_by("kind", "version"))

    @staticmethod
    def resolve_complaints(obj) -> list[str]:
        return list(obj.complaints.order_by("pk").values_list("number", flat=True))

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.select_related("by"))


class MoveIn(Input):
    confirmed_on: datetime.date | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    etd: datetime.date | None = None
    eta: datetime.date | None = None
    eta_told_on: datetime.date | None = None
    arrived_on: datetime.date | None = None
    cancel_reason: str | None = None
    note: str = ""


class MoveOut(Schema):
    action: str
    label: str
    to_state: str
    fields: list[str]
    missing: list[str]


class CheckpointIn(Input):
    done_on: datetime.date | None = None
    note: str = ""


class PaymentIn(Input):
    amount: Decimal
    received_on: datetime.date | None = None
    method: str = "tt"
    reference: str = ""
    note: str = ""


class DocumentIn(Input):
    kind: str


class BomLine(Schema):
    part_number: str = ""
    material: str | None = None
    description: str = ""
    quantity_per_unit: Decimal
    unit: str = "pcs"
    supplied_by: str = "customer"
    supplier: str | None = None


class BomLineIn(BomLine, Input):
    pass


class BomLineOut(BomLine):
    @staticmethod
    def resolve_material(obj) -> str | None:
        return obj.material.code if obj.material_id else None

    @staticmethod
    def resolve_supplier(obj) -> str | None:
        return obj.supplier.code if obj.supplier_id else None


class BomIn(Input):
    lines: list[BomLineIn]


class LotIn(Input):
    part_number: str = ""
    material: str | None = None
    lot_number: str
    quantity: Decimal
    received_on: datetime.date | None = None
    supplier: str | None = None


class LotOut(Schema):
    id: int
    part_number: str
    lot_number: str
    quantity: Decimal
    received_on: datetime.date
    result: str
    inspected_on: datetime.date | None
    inspection_note: str
    material: str | None = None
    supplier: str | None = None

    @staticmethod
    def resolve_part_number(obj) -> str:
        return obj.bom_line.part_number

    @staticmethod
    def resolve_material(obj) -> str | None:
        return obj.bom_line.material.code if obj.bom_line.material_id else None

    @staticmethod
    def resolve_supplier(obj) -> str | None:
        return obj.supplier.code if obj.supplier_id else None


class InspectionIn(Input):
    result: str
    inspected_on: datetime.date | None = None
    inspection_note: str = ""


class Repair(Schema):
    quantity: Decimal
    fault: str
    received_on: datetime.date | None = None
    repair: str = ""
    returned_on: datetime.date | None = None


class RepairIn(Repair, Input):
    pass


class RepairOut(Repair):
    id: int


class ComplaintIn(Input):
    content: str
    received_on: datetime.date | None = None
    severity: str | None = None
    quantity_affected: Decimal | None = None


class ComplaintPatch(Input):
    received_on: datetime.date | None = None
    severity: str | None = None
    content: str | None = None
    quantity_affected: Decimal | None = None
    cause_analysis: str | None = None
    corrective_action: str | None = None
    result: str | None = None
    result_told_on: datetime.date | None = None


class ComplaintOut(Schema):
    number: str
    order: str
    received_on: datetime.date
    severity: str
    content: str
    quantity_affected: Decimal | None
    cause_analysis: str
    corrective_action: str
    result: str
    result_told_on: datetime.date | None
    closed_on: datetime.date | None
    open: bool

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.code

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.is_open


class SalesFiguresOut(Schema):
    customer: str
    quotes: int
    first_quotation: datetime.date | None
    first_cooperation: datetime.date | None
    orders_per_year: dict[int, int]
    order_value_12m: Decimal
    base_currency: str
    open_complaints: list[str]
    has_orders: bool


# Projects ---------------------------------------------------------------------------------


def _project(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Project.objects.select_related("customer"), request.user, code=code)


@router.get(
    "/projects", response=answers(list[ProjectOut], 422), summary="Projects (enquiries) you may see"
)
@paginate(Pagination)
def list_projects(request, customer: str = "", status: str = "", q: str = ""):
    projects = Project.objects.visible_to(request.user).select_related("customer")
    if customer:
        projects = projects.filter(customer__code=customer)
    if status:
        projects = projects.filter(status=status)
    if q:
        projects = projects.filter(Q(code__istartswith=q) | Q(name__icontains=q))
    return projects


@router.post(
    "/projects",
    response=answers({201: ProjectOut}, 400, 403, 404, 422),
    summary="A new enquiry of a customer",
)
def create_project(request, payload: ProjectIn):
    data = payload.dict(exclude_unset=True)
    customer = editable_or_404(Customer.objects, request.user, code=data["customer"])
    form = bound(ProjectForm, data, user=request.user)
    values = {k: v for k, v in valid(form).items() if k != "customer"}
    with refusals():
        project = services.create_project(customer, user=request.user, **values)
    return Status(201, project)


@router.get(
    "/projects/{code}", response=answers(ProjectOut, 404, 422), summary="One project by code"
)
def get_project(request, code: str):
    return _project(request, code)


@router.patch(
    "/projects/{code}",
    response=answers(ProjectOut, 400, 403, 404, 409, 422),
    summary="Change a project (with version)",
)
def update_project(request, code: str, payload: ProjectPatch):
    project = _project(request, code, edit=True)
    data = payload.dict(exclude_unset=True)
    require_version(data)
    form = bound(ProjectForm, data, instance=project, user=request.user)
    cleaned = valid(form)
    with refusals():
        services.save_project(form.instance, version=cleaned["version"], fields=form.model_fields)
    return form.instance


# Quotations -------------------------------------------------------------------------------


def _quotation(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Quotation.objects.select_related("project__customer"), request.user, code=code)


@router.get(
    "/quotations", response=answers(list[QuotationOut], 422), summary="Quotations you may see"
)
@paginate(Pagination)
def list_quotations(request, project: str = "", customer: str = ""):
    quotations = (
        Quotation.objects.visible_to(request.user)
        .select_related("project")
        .prefetch_related("lines")
    )
    if project:
        quotations = quotations.filter(project__code=project)
    if customer:
        quotations = quotations.filter(project__customer__code=customer)
    return quotations


@router.post(
    "/quotations",
    response=answers({201: QuotationOut}, 400, 403, 404, 409, 422),
    summary="A new quotation of a project",
)
def create_quotation(request, payload: QuotationIn):
    data = payload.dict(exclude_unset=True)
    project = _project(request, data.pop("project"), edit=True)
    data.pop("lines", None)
    lines = valid_lines(
        QuotationLineFormSet, [line.dict() for line in payload.lines], customer=project.customer
    )
    values = valid(bound(QuotationForm, data))
    with refusals():
        quotation = services.create_quotation(
            project, user=request.user, values=values, lines=lines
        )
    return Status(201, quotation)


@router.get(
    "/quotations/{code}", response=answers(QuotationOut, 404, 422), summary="One quotation by code"
)
def get_quotation(request, code: str):
    return _quotation(request, code)


@router.patch(
    "/quotations/{code}",
    response=answers(QuotationOut, 400, 403, 404, 409, 422),
    summary="Change a quotation",
)
def update_quotation(request, code: str, payload: QuotationPatch):
    quotation = _quotation(request, code, edit=True)
    form, cleaned, lines = patched(QuotationForm, QuotationLineFormSet, quotation, payload)
    if lines is None:
        lines = [
            {f: getattr(line, f) for f in QuotationLineFormSet.form._meta.fields}
            for line in quotation.lines.all()
        ]
    with refusals():
        services.save_quotation(
            form.instance, version=cleaned["version"], fields=form.model_fields, lines=lines
        )
    return form.instance


@router.post(
    "/quotations/{code}/issue",
    response=answers({201: RevisionOut}, 403, 404, 409, 422),
    summary="Send the quotation: a new revision with its PDF",
)
def issue_quotation(request, code: str):
    quotation = _quotation(request, code, edit=True)
    with refusals():
        revision = services.issue_quotation(quotation, user=request.user)
    return Status(201, revision)


@router.post(
    "/quotations/{code}/status",
    response=answers(QuotationOut, 400, 403, 404, 409, 422),
    summary="Accepted or declined",
)
def quotation_status(request, code: str, payload: StatusIn):
    quotation = _quotation(request, code, edit=True)
    return services.set_quotation_status(quotation, payload.status)


@router.get(
    "/quotations/{code}/revisions/{number}/pdf",
    response=answers({200: None}, 404, 422),
    summary="A revision's PDF",
)
def revision_pdf(request, code: str, number: int):
    revision = visible_or_404(
        QuotationRevision.objects, request.user, quotation__code=code, number=number
    )
    return files.response(revision.pdf, posixpath.basename(revision.pdf.name))


# Orders -----------------------------------------------------------------------------------


def _order(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Order.objects.select_related("project__customer"), request.user, code=code)


@router.get(
    "/orders", response=answers(list[OrderSummary], 422), summary="Orders you may see, filtered"
)
@paginate(Pagination)
def list_orders(
    request,
    state: str = "",
    kind: str = "",
    customer: str = "",
    q: str = "",
    overdue: bool = False,
    late: bool = False,
):
    orders = Order.objects.visible_to(request.user).select_related("project__customer")
    if state == "open":
        orders = orders.exclude(state__in=[OrderState.CLOSED, OrderState.CANCELLED])
    elif state:
        orders = orders.filter(state=state)
    if kind:
        orders = orders.filter(kind=kind)
    if customer:
        orders = orders.filter(project__customer__code=customer)
    if q:
        orders = orders.filter(Q(code__istartswith=q) | Q(project__name__icontains=q))
    if overdue:
        orders = orders.payment_overdue()
    if late:
        orders = orders.delivery_late()
    return orders


@router.post(
    "/orders",
    response=answers({201: OrderOut}, 400, 403, 404, 409, 422),
    summary="Enter a sample, mass or processing order",
)
def create_order(request, payload: OrderIn):
    data = payload.dict(exclude_unset=True)
    project = _project(request, data.pop("project"), edit=True)
    kind = data.pop("kind")
    if kind not in Order.Kind.values:
        raise ValidationError({"kind": [f"Choose one of {', '.join(Order.Kind.values)}."]})
    data.pop("lines", None)
    lines = valid_lines(
        OrderLineFormSet, [line.dict() for line in payload.lines], customer=project.customer
    )
    defaults = services.order_initial(project, kind)
    form = bound(OrderForm, {**defaults, **data}, kind=kind)
    with refusals():
        order = services.create_order(
            project, kind, user=request.user, values=valid(form), lines=lines
        )
    return Status(201, order)


@router.get(
    "/orders/{code}",
    response=answers(OrderOut, 404, 422),
    summary="One order with all that hangs off it",
)
def get_order(request, code: str):
    return _order(request, code)


@router.patch(
    "/orders/{code}",
    response=answers(OrderOut, 400, 403, 404, 409, 422),
    summary="Change an order (with version)",
)
def update_order(request, code: str, payload: OrderPatch):
    order = _order(request, code, edit=True)
    form, cleaned, lines = patched(OrderForm, OrderLineFormSet, order, payload)
    with refusals():
        services.save_order(
            form.instance, version=cleaned["version"], fields=form.model_fields, lines=lines
        )
    order.refresh_from_db()
    return order


@router.get(
    "/orders/{code}/moves",
    response=answers(list[MoveOut], 404, 422),
    summary="The moves possible now",
)
def list_moves(request, code: str):
    order = _order(request, code)
    return [
        MoveOut(
            action=move.action,
            label=str(move.label),
            to_state=move.target,
            fields=list(move.fields),
            missing=[p for guard in move.guards for p in guard(order)],
        )
        for move in workflow.available(order)
    ]


@router.post(
    "/orders/{code}/moves/{action}",
    response=answers(OrderOut, 400, 403, 404, 409, 422),
    summary="Move the order (confirm, start_production, ship …); 409 when not allowed",
)
def move_order(request, code: str, action: str, payload: MoveIn):
    order = _order(request, code, edit=True)
    with refusals():
        return services.transition(
            order, action, user=request.user, data=payload.dict(exclude_unset=True)
        )


@router.post(
    "/orders/{code}/checkpoints/{name}",
    response=answers(CheckpointOut, 400, 403, 404, 409, 422),
    summary="Tick off a checkpoint (contract_review, production_notified …)",
)
def tick_checkpoint(request, code: str, name: str, payload: CheckpointIn):
    order = _order(request, code, edit=True)
    values = valid(bound(CheckpointForm, payload.dict(exclude_unset=True)))
    with refusals():
        return services.tick_checkpoint(order, name, user=request.user, **values)


@router.get(
    "/orders/{code}/payments",
    response=answers(list[PaymentOut], 404, 422),
    summary="Payments received",
)
def list_payments(request, code: str):
    return list(_order(request, code).payments.all())


@router.post(
    "/orders/{code}/payments",
    response=answers({201: PaymentOut}, 400, 403, 404, 409, 422),
    summary="Record a payment",
)
def record_payment(request, code: str, payload: PaymentIn):
    order = _order(request, code, edit=True)
    values = valid(bound(PaymentForm, payload.dict(exclude_unset=True)))
    with refusals():
        payment = services.record_payment(order, user=request.user, values=values)
    return Status(201, payment)


@router.post(
    "/orders/{code}/documents",
    response=answers({201: DocumentOut}, 400, 403, 404, 409, 422),
    summary="Generate the PI, CI or PL (PDF and .xlsx) as a new version",
)
def generate_document(request, code: str, payload: DocumentIn):
    order = _order(request, code, edit=True)
    kind = valid(bound(DocumentForm, payload.dict()))["kind"]
    with refusals():
        document = services.generate_document(order, kind, user=request.user)
    return Status(201, document)


@router.get(
    "/documents/{document_id}/{fmt}",
    response=answers({200: None}, 404, 422),
    summary="Download a document (pdf or xlsx)",
)
def get_document(request, document_id: int, fmt: str):
    document = visible_or_404(Document.objects, request.user, pk=document_id)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    field = document.pdf if fmt == "pdf" else document.xlsx
    return files.response(field, posixpath.basename(field.name))


# Processing orders ------------------------------------------------------------------------


@router.put(
    "/orders/{code}/bom",
    response=answers(list[BomLineOut], 400, 403, 404, 409, 422),
    summary="The customer's BOM",
)
def put_bom(request, code: str, payload: BomIn):
    order = _order(request, code, edit=True)
    rows = valid_lines(BomLineFormSet, [line.dict() for line in payload.lines], prefix="bom")
    services.save_bom(order, rows)
    return list(order.bom_lines.select_related("material", "supplier"))


@router.post(
    "/orders/{code}/lots",
    response=answers({201: LotOut}, 400, 403, 404, 409, 422),
    summary="Customer material arrived",
)
def receive_lot(request, code: str, payload: LotIn):
    order = _order(request, code, edit=True)
    data = payload.dict(exclude_unset=True)
    number, material = data.pop("part_number", ""), data.pop("material", None)
    line = order.bom_lines.filter(supplied_by="customer")
    line = line.filter(material__code=material) if material else line.filter(part_number=number)
    if not (line := line.first()):
        field = "material" if material else "part_number"
        message = f"No customer-supplied material with this {field.replace('_', ' ')} in the BOM."
        raise ValidationError({field: [message]})
    data["bom_line"] = line.pk
    values = valid(bound(MaterialLotForm, data, order=order))
    return Status(201, services.receive_material(order, user=request.user, values=values))


@router.post(
    "/lots/{lot_id}/inspection",
    response=answers(LotOut, 400, 403, 404, 409, 422),
    summary="Record a lot's IQC result",
)
def inspect_lot(request, lot_id: int, payload: InspectionIn):
    lot = editable_or_404(MaterialLot.objects.select_related("order"), request.user, pk=lot_id)
    values = valid(bound(InspectionForm, payload.dict(exclude_unset=True), instance=lot))
    return services.inspect_lot(lot, user=request.user, values=values)


@router.post(
    "/orders/{code}/repairs",
    response=answers({201: RepairOut}, 400, 403, 404, 409, 422),
    summary="Record a repair",
)
def record_repair(request, code: str, payload: RepairIn):
    order = _order(request, code, edit=True)
    values = valid(bound(RepairForm, payload.dict(exclude_unset=True)))
    return Status(201, services.record_repair(order, user=request.user, values=values))


# Complaints -------------------------------------------------------------------------------


def _complaint(request, number, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Complaint.objects.select_related("order"), request.user, number=number)


@router.get(
    "/complaints", response=answers(list[ComplaintOut], 422), summary="Complaints (open by default)"
)
@paginate(Pagination)
def list_complaints(request, show: str = "open", customer: str = ""):
    complaints = Complaint.objects.visible_to(request.user).select_related("order")
    if show == "open":
        complaints = complaints.filter(closed_on=None)
    elif show == "closed":
        complaints = complaints.exclude(closed_on=None)
    if customer:
        complaints = complaints.filter(order__project__customer__code=customer)
    return complaints


@router.post(
    "/orders/{code}/complaints",
    response=answers({201: ComplaintOut}, 400, 403, 404, 409, 422),
    summary="Record a complaint: the 1st carries the order's number, later ones -2, -3 …",
)
def open_complaint(request, code: str, payload: ComplaintIn):
    order = _order(request, code, edit=True)
    values = valid(bound(ComplaintForm, payload.dict(exclude_unset=True)))
    with refusals():
        complaint = services.open_complaint(order, user=request.user, values=values)
    return Status(201, complaint)


@router.get(
    "/complaints/{number}",
    response=answers(ComplaintOut, 404, 422),
    summary="One complaint by number",
)
def get_complaint(request, number: str):
    return _complaint(request, number)


@router.patch(
    "/complaints/{number}",
    response=answers(ComplaintOut, 400, 403, 404, 409, 422),
    summary="Analysis, action, result",
)
def update_complaint(request, number: str, payload: ComplaintPatch):
    complaint = _complaint(request, number, edit=True)
    form = bound(ComplaintForm, payload.dict(exclude_unset=True), instance=complaint)
    valid(form)
    return services.save_complaint(form.instance, fields=list(form.fields))


@router.post(
    "/complaints/{number}/close",
    response=answers(ComplaintOut, 403, 404, 409, 422),
    summary="Close a complaint",
)
def close_complaint(request, number: str):
    complaint = _complaint(request, number, edit=True)
    return services.close_complaint(complaint, user=request.user)


# Everything about one number, and the customer's figures -----------------------------------


@router.get(
    "/figures/{code}",
    response=answers(SalesFiguresOut, 404, 422),
    summary="A customer's derived figures",
)
def figures(request, code: str):
    customer = visible_or_404(Customer.objects, request.user, code=code)
    result = customer_figures(customer)
    return SalesFiguresOut(
        customer=customer.code,
        quotes=result.quotes,
        first_quotation=result.first_quotation,
        first_cooperation=result.first_cooperation,
        orders_per_year=result.orders_per_year,
        order_value_12m=result.order_value_12m,
        base_currency=settings.BASE_CURRENCY,
        open_complaints=[c.number for c in result.open_complaints],
        has_orders=result.has_orders,
    )
