"""The shapes of the sales API: what it reads (`…In`, `…Patch`, derived from `Input`) and
what it answers (`…Out`). Their names are unique across the whole API."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from tracecode.core.api import Input


class EventChangeOut(Schema):
    field: str = Field(description="the field; a line's as lines.2.cartons")
    old: str | int | float | bool | None
    new: str | int | float | bool | None


class EventOut(Schema):
    action: str
    text: str
    from_state: str
    to_state: str
    note: str
    at: datetime.datetime
    by: str | None
    changes: list[EventChangeOut] = Field(description="what an edit changed, old → new")

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.text

    @staticmethod
    def resolve_changes(obj) -> list[dict]:
        found = (obj.data or {}).get("changes")
        if not isinstance(found, list):
            return []
        return [{"field": c[0], "old": c[1], "new": c[2]} for c in found if len(c) == 3]

    @staticmethod
    def resolve_by(obj) -> str | None:
        return obj.by.username if obj.by else None


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
    timeline: list[EventOut] = Field(description="how its status moved, who and when")

    @staticmethod
    def resolve_customer(obj) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.select_related("by"))

    @staticmethod
    def resolve_part(obj) -> str | None:
        return obj.part.code if obj.part_id else None


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
    timeline: list[EventOut] = Field(description="sent, accepted or declined: who and when")

    @staticmethod
    def resolve_project(obj) -> str:
        return obj.project.code

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_revisions(obj):
        return list(obj.revisions.select_related("quotation").order_by("number"))

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.select_related("by"))


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


class PaymentOut(Schema):
    id: int
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
    from_revision: str | None = None

    @staticmethod
    def resolve_from_revision(obj) -> str | None:
        revision = obj.from_revision
        return None if revision is None else f"{revision.quotation.code}/{revision.number}"

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


class ProjectMoveIn(Input):
    lost_reason: str | None = Field(None, description="why it was lost (`lose`)")
    note: str = ""


class NoteIn(Input):
    note: str = ""


class ComplaintMoveIn(Input):
    closed_on: datetime.date | None = Field(None, description="`close`: today when left out")
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
    state: str
    closed_on: datetime.date | None
    open: bool
    timeline: list[EventOut] = Field(description="recorded, closed, reopened: who and when")

    @staticmethod
    def resolve_order(obj) -> str:
        return obj.order.code

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.select_related("by"))

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
