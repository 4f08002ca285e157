"""The rules that create and change sales records: views, API, demo and tests call these.

Codes are given by the coding engine in the transaction that saves the record
(`create_with_code`); the order's moves go through workflow.perform(); edits of projects,
quotations and orders go through save_versioned(), so a stale edit is refused.
"""

import copy
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.codes import services as codes
from tracecode.codes.services import create_with_code
from tracecode.core.concurrency import save_versioned
from tracecode.files.layout import file_name
from tracecode.registers import services as registers
from tracecode.search import index

from . import documents, workflow
from .forms import transition_form
from .models import (
    Checkpoint,
    Complaint,
    Document,
    MaterialLot,
    Order,
    OrderLine,
    OrderState,
    Payment,
    Project,
    Quotation,
    QuotationLine,
    QuotationRevision,
    RepairRecord,
)
from .trade import format_money, money


class FormErrors(ValidationError):
    """Input that does not validate; carries the bound form so a page can show it again."""

    def __init__(self, form):
        errors = form.errors.as_data()
        super().__init__(errors or {"__all__": [ValidationError(_("Invalid input."))]})
        self.form = form


def code_arguments(scheme_name: str, *, parent: str, date=None, fields=None) -> dict:
    """What `create_with_code` needs for the scheme in force, whatever an admin made of it.

    The REKO quotation scheme wants the project code (RK888-6-Q1); a `BJ{YYYY}{MM}{serial:4}`
    scheme wants the date instead. Values a scheme does not use are left out.
    """
    sch = codes.scheme(scheme_name)
    return {
        "parent": parent if sch.needs_parent else None,
        "date": date if sch.needs_date else None,
        "fields": {k: v for k, v in (fields or {}).items() if k in sch.field_names},
    }


def _user(user):
    return user if user is not None and user.pk else None


# Projects ---------------------------------------------------------------------------------


def create_project(customer, *, user, **values) -> Project:
    """A new enquiry of `customer`, coded from the customer's code (RK888-6).

    It names its part: the one given, else the customer's registered part whose number is
    the project's name (SP1003).
    """
    part = values.get("part")
    if part is None and values.get("name"):
        values["part"] = registers.parts_named(customer, [values["name"]]).get(
            " ".join(values["name"].split())
        )
    elif part is not None and part.customer_id != customer.pk:
        raise ValidationError(
            {"part": [_("%(part)s is a part of another customer.") % {"part": part.code}]}
        )
    project = Project(customer=customer, created_by=_user(user), **values)
    kwargs = code_arguments("project", parent=customer.code, date=project.received_on)
    return create_with_code(project, "project", user=_user(user), **kwargs)


def save_project(project, *, version: int, fields: list[str]) -> Project:
    """Save an edited project unless someone else saved it first (StaleEdit)."""
    save_versioned(project, version, fields=fields)
    return project


def advance_project(project, status: str) -> None:
    """Move a project on by itself (quoting, sampling, mass production), never back.

    Won and lost are the merchandiser's to set and are never changed here.
    """
    progress = Project.PROGRESS
    if project.status not in progress or progress.index(status) <= progress.index(project.status):
        return
    Project.objects.filter(pk=project.pk, status=project.status).update(
        status=status, version=F("version") + 1
    )
    project.refresh_from_db(fields=["status", "version"])


# Quotations -------------------------------------------------------------------------------


def _with_parts(customer, model, rows: list[dict]) -> list[dict]:
    """The lines with their registered parts: a line naming none is linked to the customer's
    part whose code or number it gives; a part of another customer is refused."""
    text = "item" if model is QuotationLine else "part_number"
    named = registers.parts_named(
        customer, [row.get(text) for row in rows if row.get("part") is None]
    )
    linked = []
    for number, row in enumerate(rows):
        part = row.get("part")
        if part is None:
            part = named.get(" ".join(str(row.get(text) or "").split()))
        elif part.customer_id != customer.pk:
            raise ValidationError(
                {
                    f"lines.{number}.part": [
                        _("%(part)s is a part of another customer.") % {"part": part.code}
                    ]
                }
            )
        linked.append({**row, "part": part})
    return linked


def _replace_lines(owner, model, rows: list[dict]) -> None:
    rows = _with_parts(owner.project.customer, model, rows)
    owner.lines.all().delete()
    model.objects.bulk_create(
        [model(**{owner._meta.model_name: owner}, position=i, **row) for i, row in enumerate(rows)]
    )
    index.write(owner)  # bulk_create sends no signals: its entry holds the lines' parts


def create_quotation(project, *, user, values: dict, lines: list[dict]) -> Quotation:
    """A new quotation of a project, numbered by the `quotation` scheme in force."""
    with transaction.atomic():
        quotation = Quotation(project=project, created_by=_user(user), **values)
        kwargs = code_arguments("quotation", parent=project.code, date=quotation.quoted_on)
        create_with_code(quotation, "quotation", user=_user(user), **kwargs)
        _replace_lines(quotation, QuotationLine, lines)
    return quotation


def save_quotation(quotation, *, version: int, fields: list[str], lines: list[dict]):
    """Save an edited quotation and its lines, unless someone else saved it first."""
    if not quotation.is_editable:
        raise ValidationError(_("An accepted or declined quotation is no longer changed."))
    with transaction.atomic():
        save_versioned(quotation, version, fields=fields)
        _replace_lines(quotation, QuotationLine, lines)
    return quotation


def quotation_snapshot(quotation) -> dict:
    """What the customer was sent, kept as it was."""
    return {
        "code": quotation.code,
        "project": quotation.project.code,
        "project_name": quotation.project.name,
        "quoted_on": quotation.quoted_on.isoformat(),
        "valid_until": quotation.valid_until.isoformat(),
        "currency": quotation.currency,
        "incoterm": quotation.incoterm,
        "incoterm_place": quotation.incoterm_place,
        "lead_time": quotation.lead_time,
        "payment_terms": quotation.payment_terms,
        "notes": quotation.notes,
        "lines": [
            {
                "item": line.item,
                "specification": line.specification,
                "quantity": str(line.quantity),
                "unit": line.unit,
                "unit_price": str(line.unit_price),
            }
            for line in quotation.lines.all()
        ],
    }


def issue_quotation(quotation, *, user) -> QuotationRevision:
    """Send the quotation: freeze this revision and its PDF; the old revisions stay."""
    if not quotation.is_editable:
        raise ValidationError(_("An accepted or declined quotation is no longer issued."))
    if not quotation.lines.exists():
        raise ValidationError(_("Add at least one line before sending the quotation."))
    with transaction.atomic():
        locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
        last = locked.revisions.order_by("-number").values_list("number", flat=True).first()
        revision = QuotationRevision(
            quotation=locked,
            number=(last or 0) + 1,
            issued_on=timezone.localdate(),
            snapshot=quotation_snapshot(locked),
            issued_by=_user(user),
        )
        data = documents.quotation_pdf(locked, revision)  # DocumentError: nothing is saved
        name = file_name(locked.code, "Quotation", revision.issued_on, revision.number, ".pdf")
        _save_file(revision.pdf, name, data)
        try:
            revision.save()
            Quotation.objects.filter(pk=locked.pk).update(
                status=Quotation.Status.SENT, version=F("version") + 1
            )
        except Exception:
            revision.pdf.delete(save=False)
            raise
    advance_project(quotation.project, Project.Status.QUOTING)
    quotation.refresh_from_db()
    return revision


def set_quotation_status(quotation, status: str) -> Quotation:
    """The customer accepted or declined a sent quotation."""
    allowed = {Quotation.Status.ACCEPTED, Quotation.Status.DECLINED}
    if status not in allowed or quotation.status != Quotation.Status.SENT:
        raise ValidationError(_("Only a sent quotation can be accepted or declined."))
    Quotation.objects.filter(pk=quotation.pk).update(status=status, version=F("version") + 1)
    quotation.refresh_from_db()
    return quotation


def _save_file(field_file, filename: str, data: bytes) -> None:
    """Store generated bytes where the field's folder rule says, keeping the name as given.

    FieldFile.save() would pass the name through get_valid_name(), which turns the spaces of
    `RK888-6-S1 PI 2026-11-22 v1.pdf` into underscores; storage.save() keeps them and still
    refuses path traversal and never overwrites.
    """
    path = field_file.field.upload_to(field_file.instance, filename)
    field_file.name = field_file.storage.save(path, ContentFile(data))


# Orders -----------------------------------------------------------------------------------


def order_initial(project, kind: str) -> dict:
    """A new order starts from the customer's requirements and the last quotation's terms."""
    customer = project.customer
    initial = {
        "packaging_requirements": customer.packaging_requirements,
        "inspection_requirements": customer.inspection_requirements,
        "payment_terms": customer.payment_requirements,
        "ordered_on": timezone.localdate(),
        "currency": project.currency,
    }
    quotation = project.quotations.exclude(status=Quotation.Status.DRAFT).first()
    if quotation is not None:
        initial.update(
            currency=quotation.currency,
            incoterm=quotation.incoterm,
            incoterm_place=quotation.incoterm_place,
        )
        if quotation.payment_terms and not initial["payment_terms"]:
            initial["payment_terms"] = quotation.payment_terms
    return initial


def _recompute_total(order) -> None:
    total = sum((line.amount for line in order.lines.all()), start=money(0))
    Order.objects.filter(pk=order.pk).update(total=total)
    order.total = total


def create_order(project, kind: str, *, user, values: dict, lines: list[dict]) -> Order:
    """A new sample, mass or processing order of a project: RK888-6-S1, -M1, -P1."""
    if kind not in Order.Kind.values:
        raise ValidationError({"kind": [_("Choose sample, mass or processing.")]})
    with transaction.atomic():
        order = Order(project=project, kind=kind, created_by=_user(user), **values)
        kwargs = code_arguments(
            "order",
            parent=project.code,
            date=order.ordered_on,
            fields={"kind": Order.KIND_LETTERS[kind]},
        )
        create_with_code(order, "order", user=_user(user), **kwargs)
        _replace_lines(order, OrderLine, lines)
        _recompute_total(order)
        workflow.record(order, "created", user=user)
    target = (
        Project.Status.SAMPLING if kind == Order.Kind.SAMPLE else Project.Status.MASS_PRODUCTION
    )
    advance_project(project, target)
    return order


def save_order(order, *, version: int, fields: list[str], lines: list[dict] | None = None):
    """Save an edited order (and its lines while they may change), unless it went stale."""
    if not order.is_open:
        raise ValidationError(_("A closed or cancelled order is no longer changed."))
    if lines is not None and not order.lines_editable:
        raise ValidationError(_("Quantities and prices are fixed once production has started."))
    with transaction.atomic():
        save_versioned(order, version, fields=fields)
        if lines is not None:
            _replace_lines(order, OrderLine, lines)
            _recompute_total(order)
    return order


def transition(order, action: str, *, user, data=None, prefix=None) -> Order:
    """Move the order by `action` with what the move records (shipping details …).

    IllegalTransition when the move is not allowed now; FormErrors when its input is wrong.
    """
    move = workflow.get(action)
    workflow.check_source(order, move)
    form = transition_form(move, copy.copy(order), data if data is not None else {}, prefix)
    if not form.is_valid():
        raise FormErrors(form)
    values = {name: form.cleaned_data[name] for name in move.fields}
    return workflow.perform(
        order, action, user=user, values=values, note=form.cleaned_data.get("note", "")
    )


def tick_checkpoint(order, name: str, *, user, done_on=None, note="") -> Checkpoint:
    """Tick off a checkpoint (contract review, production notified …) with who and when."""
    rule = workflow.CHECKPOINTS.get(name)
    if rule is None or not rule.applies_to(order):
        raise workflow.IllegalTransition(
            _("“%(name)s” is not a checkpoint of this order.") % {"name": name}
        )
    if order.state not in rule.states:
        raise workflow.IllegalTransition(
            _("%(code)s is %(state)s: “%(checkpoint)s” is ticked off before that.")
            % {
                "code": order.code,
                "state": workflow.state_label(order.state),
                "checkpoint": rule.label,
            }
        )
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        checkpoint, created = Checkpoint.objects.get_or_create(
            order=order,
            name=name,
            defaults={"done_on": done_on, "note": note, "done_by": _user(user)},
        )
        if created:
            workflow.record(order, "checkpoint", user=user, note=note, name=name)
    return checkpoint


def record_payment(order, *, user, values: dict) -> Payment:
    """Money received for the order; once reconciled and fully paid, the order is paid."""
    if order.state in (OrderState.DRAFT, OrderState.CANCELLED, OrderState.CLOSED):
        raise workflow.IllegalTransition(
            _("%(code)s is %(state)s: no payment can be recorded.")
            % {"code": order.code, "state": workflow.state_label(order.state)}
        )
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        amount = money(values["amount"])
        if amount > locked.balance:
            raise ValidationError(
                {
                    "amount": [
                        _("Only %(balance)s is still to be paid.")
                        % {"balance": format_money(locked.balance, locked.currency)}
                    ]
                }
            )
        payment = Payment.objects.create(order=locked, recorded_by=_user(user), **values)
        # Added to what is settled (payments, write-offs, credit used: tracecode/payments).
        paid = locked.paid + amount
        Order.objects.filter(pk=locked.pk).update(paid=money(paid))
        locked.paid = money(paid)
        workflow.record(
            locked,
            "payment",
            user=user,
            note=values.get("note", ""),
            amount=format_money(amount, locked.currency),
        )
        if locked.state == OrderState.RECONCILED and locked.balance <= 0:
            workflow.perform(locked, "mark_paid", user=user)
    order.refresh_from_db()
    return payment


# Documents --------------------------------------------------------------------------------

# CI and PL describe goods that are leaving: they are made once the order is ready to ship.
SHIPPING_DOCUMENT_STATES = [
    OrderState.READY,
    OrderState.SHIPPED,
    OrderState.ARRIVED,
    OrderState.RECONCILED,
    OrderState.PAID,
    OrderState.CLOSED,
]


def generate_document(order, kind: str, *, user) -> Document:
    """Make the order's PI, CI or PL as PDF and .xlsx: a new version; older ones are kept.

    DocumentError when it cannot be rendered: then nothing is saved and the order is as it was.
    """
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": [_("Choose PI, CI or PL.")]})
    if order.state == OrderState.CANCELLED:
        raise ValidationError(_("A cancelled order gets no documents."))
    if kind != Document.Kind.PI and order.state not in SHIPPING_DOCUMENT_STATES:
        raise ValidationError(
            _("The %(document)s is made once the goods are ready to ship.") % {"document": kind}
        )
    if not order.lines.exists():
        raise ValidationError(_("The order has no lines to put on a document."))
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update().select_related("project__customer").get(pk=order.pk)
        )
        last = (
            locked.documents.filter(kind=kind)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        document = Document(
            order=locked,
            kind=kind,
            version=(last or 0) + 1,
            issued_on=timezone.localdate(),
            created_by=_user(user),
        )
        pdf = documents.order_pdf(locked, document)
        xlsx = documents.order_xlsx(locked, document)
        name = partial(file_name, locked.code, kind, document.issued_on, document.version)
        _save_file(document.pdf, name(".pdf"), pdf)
        try:
            _save_file(document.xlsx, name(".xlsx"), xlsx)
            document.save()
            workflow.record(
                locked,
                "document",
                user=user,
                document=kind,
                number=locked.code,
                version=document.version,
            )
        except Exception:
            document.pdf.delete(save=False)
            if document.xlsx:
                document.xlsx.delete(save=False)
            raise
    return document


# Complaints -------------------------------------------------------------------------------


def open_complaint(order, *, user, values: dict) -> Complaint:
    """Record a complaint; the first about an order carries the order's number, later ones
    get the `complaint` scheme's suffix (RK888-6-S1-2, -3)."""
    if order.state in (OrderState.DRAFT, OrderState.CANCELLED):
        raise ValidationError(
            _("%(code)s is %(state)s: there is nothing to complain about yet.")
            % {"code": order.code, "state": workflow.state_label(order.state)}
        )
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).first()  # one numberer at a time
        complaint = Complaint(order=order, created_by=_user(user), **values)
        if not Complaint.objects.filter(order=order).exists():
            complaint.number = order.code
        else:
            kwargs = code_arguments("complaint", parent=order.code, date=complaint.received_on)
            entry = codes.allocate(
                "complaint", record_type=Complaint._meta.label_lower, user=_user(user), **kwargs
            )
            complaint.number = entry.code
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                _("%(number)s is already a complaint number.") % {"number": complaint.number}
            ) from None
        workflow.record(order, "complaint", user=user, number=complaint.number)
    return complaint


def save_complaint(complaint, *, fields: list[str]) -> Complaint:
    complaint.save(update_fields=fields)
    return complaint


def close_complaint(complaint, *, user, closed_on=None) -> Complaint:
    """Close a complaint once it is analysed, corrected and the customer told the result."""
    missing = []
    if not complaint.cause_analysis.strip():
        missing.append(_("the cause analysis"))
    if not complaint.corrective_action.strip():
        missing.append(_("the corrective action"))
    if complaint.result_told_on is None:
        missing.append(_("the date the customer was told the result"))
    if missing:
        raise ValidationError(
            _("Before closing, fill in %(missing)s.") % {"missing": ", ".join(missing)}
        )
    complaint.closed_on = closed_on or timezone.localdate()
    complaint.closed_by = _user(user)
    complaint.save(update_fields=["closed_on", "closed_by"])
    return complaint


def reopen_complaint(complaint) -> Complaint:
    complaint.closed_on = None
    complaint.closed_by = None
    complaint.save(update_fields=["closed_on", "closed_by"])
    return complaint


# Processing orders ------------------------------------------------------------------------


def save_bom(order, lines: list[dict]) -> None:
    """Replace the customer's BOM of a processing order (until it is confirmed)."""
    if not order.is_processing:
        raise ValidationError(_("Only processing orders have a customer's BOM."))
    if order.state != OrderState.DRAFT:
        raise ValidationError(_("The BOM is fixed once the order is confirmed."))
    with transaction.atomic():
        keep = {(line["part_number"]) for line in lines}
        if order.material_lots.exclude(bom_line__part_number__in=keep).exists():
            raise ValidationError(
                _("A material with lots received cannot be removed from the BOM.")
            )
        existing = {line.part_number: line for line in order.bom_lines.all()}
        for position, row in enumerate(lines):
            line = existing.pop(row["part_number"], None) or order.bom_lines.model(order=order)
            for key, value in row.items():
                setattr(line, key, value)
            line.position = position
            line.save()
        for line in existing.values():
            line.delete()


def receive_material(order, *, user, values: dict) -> MaterialLot:
    """A lot of customer-supplied material arrived; it waits for incoming inspection."""
    if not order.is_processing or order.state in (OrderState.CANCELLED, OrderState.CLOSED):
        raise ValidationError(_("Material is received for open processing orders only."))
    lot = MaterialLot.objects.create(order=order, **values)
    workflow.record(order, "material", user=user, part=lot.bom_line.part_number, lot=lot.lot_number)
    return lot


def inspect_lot(lot, *, user, values: dict) -> MaterialLot:
    """Record the IQC result of a lot."""
    for key, value in values.items():
        setattr(lot, key, value)
    lot.inspected_by = _user(user)
    lot.save()
    workflow.record(
        lot.order,
        "iqc",
        user=user,
        note=lot.inspection_note,
        lot=lot.lot_number,
        result=lot.result,
    )
    return lot


REPAIR_STATES = [
    OrderState.SHIPPED,
    OrderState.ARRIVED,
    OrderState.RECONCILED,
    OrderState.PAID,
    OrderState.CLOSED,
]


def record_repair(order, *, user, values: dict) -> RepairRecord:
    """After-sales repair of goods sent back by the customer."""
    if not order.is_processing or order.state not in REPAIR_STATES:
        raise ValidationError(_("Repairs are recorded for delivered processing orders."))
    repair = RepairRecord.objects.create(order=order, recorded_by=_user(user), **values)
    workflow.record(order, "repair", user=user)
    return repair
