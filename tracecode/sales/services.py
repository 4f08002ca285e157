"""The rules that create and change sales records: views, API, demo and tests call these.

Codes are given by the coding engine in the transaction that saves the record
(`create_with_code`); the moves of orders, projects, quotations and complaints go through
their workflow's perform() (workflow.py); edits of projects, quotations and orders go
through save_versioned(), so a stale edit is refused.
"""

import copy
import datetime
import re
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.codes import services as codes
from tracecode.codes.services import create_with_code
from tracecode.core.concurrency import save_versioned
from tracecode.core.refusals import FormErrors
from tracecode.core.workflow import IllegalTransition, changes, line_changes
from tracecode.customers import standing
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
    project = Project(customer=customer, created_by=_user(user), **values)
    _link_part(project, registers.parts_named(customer, _part_names(project)))
    kwargs = code_arguments("project", parent=customer.code, date=project.received_on)
    with transaction.atomic():
        create_with_code(project, "project", user=_user(user), **kwargs)
        workflow.PROJECT.record(project, "created", user=user)
    return project


def create_projects(projects: list[Project], *, user) -> list[Project]:
    """create_project() for many new enquiries at once, in order (an import's chunk), each
    built as Project(customer=…, **values): the same parts, the codes create_project() would
    give them one after the other, one INSERT per table (codes.create_many_with_codes).
    Nothing is saved when one is refused."""
    named = registers.parts_named_by_customer([(p.customer, _part_names(p)) for p in projects])
    for project in projects:
        project.created_by = _user(user)
        _link_part(project, named.get(project.customer_id, {}))
    arguments = [
        code_arguments("project", parent=p.customer.code, date=p.received_on) for p in projects
    ]
    with transaction.atomic():
        codes.create_many_with_codes(
            projects, "project", user=_user(user),
            parents=[a["parent"] for a in arguments], dates=[a["date"] for a in arguments],
        )  # fmt: skip
        workflow.PROJECT.record_many(projects, "created", user=user)
    return projects


def _part_names(project) -> list[str]:
    """What a new project's part is looked up by: its name, when it names no part."""
    return [project.name] if project.part_id is None and project.name else []


def _link_part(project, named: dict) -> None:
    """A new project names its part: the one given (the customer's own), else the customer's
    registered part whose number is the project's name (SP1003), among `named`
    (registers.parts_named)."""
    part = project.part
    if part is None and project.name:
        project.part = named.get(" ".join(project.name.split()))
    elif part is not None and part.customer_id != project.customer_id:
        raise ValidationError(
            {"part": [_("%(part)s is a part of another customer.") % {"part": part.code}]}
        )


def save_project(project, *, version: int, fields: list[str]) -> Project:
    """Save an edited project unless someone else saved it first (StaleEdit)."""
    save_versioned(project, version, fields=fields)
    return project


def set_project_status(project, status: str, *, user, lost_reason=None, note: str = ""):
    """Set a project's status by hand (won, lost with the reason, reopened): the move of its
    workflow that leads there, refused (IllegalTransition) when there is none."""
    if status not in Project.Status.values:
        raise ValidationError(
            {"status": [_("Choose one of %(s)s.") % {"s": ", ".join(Project.Status.values)}]}
        )
    flow = workflow.PROJECT
    move = flow.find(project, status)
    if move is None:
        raise IllegalTransition(
            _("%(code)s is %(state)s: it is not made %(target)s by hand.")
            % {
                "code": project.code,
                "state": flow.state_label(project.status),
                "target": flow.state_label(status),
            }
        )
    data = {"lost_reason": lost_reason or "", "note": note}
    return transition(project, move.action, user=user, data=data)


def advance_project(project, status: str, *, user=None) -> None:
    """Move a project on by itself (quoting, sampling, mass production), never back.

    Won and lost are the merchandiser's to set and are never changed here.
    """
    workflow.advance(project, status, user=user)


# Quotations -------------------------------------------------------------------------------


def _line_texts(model, rows: list[dict]) -> list:
    """What lines naming no part are linked to a part by: its code or number."""
    text = "item" if model is QuotationLine else "part_number"
    return [row.get(text) for row in rows if row.get("part") is None]


def _with_parts(customer, model, rows: list[dict], named: dict | None = None) -> list[dict]:
    """The lines with their registered parts: a line naming none is linked to the customer's
    part whose code or number it gives (among `named`, registers.parts_named(), when the
    caller found them already); a part of another customer is refused."""
    text = "item" if model is QuotationLine else "part_number"
    if named is None:
        named = registers.parts_named(customer, _line_texts(model, rows))
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


def _replace_lines(owner, model, rows: list[dict], *, new: bool = False) -> list[list]:
    """Put `rows` in place of the owner's lines (a `new` owner has none yet); what changed,
    line by line, old → new."""
    rows = _with_parts(owner.project.customer, model, rows)
    fields = [
        f for f in model._meta.concrete_fields
        if f.name not in ("id", "position", owner._meta.model_name)
    ]  # fmt: skip
    stored = [] if new else [{f.name: getattr(line, f.name) for f in fields}
                             for line in owner.lines.all()]  # fmt: skip
    edited = [{f.name: row.get(f.name, f.get_default()) for f in fields} for row in rows]
    if not new:
        owner.lines.all().delete()
    model.objects.bulk_create(
        [model(**{owner._meta.model_name: owner}, position=i, **row) for i, row in enumerate(rows)]
    )
    index.write(owner)  # bulk_create sends no signals: its entry holds the lines' parts
    return line_changes(stored, edited)


def create_quotation(project, *, user, values: dict, lines: list[dict]) -> Quotation:
    """A new quotation of a project, numbered by the `quotation` scheme in force."""
    with transaction.atomic():
        quotation = Quotation(project=project, created_by=_user(user), **values)
        kwargs = code_arguments("quotation", parent=project.code, date=quotation.quoted_on)
        create_with_code(quotation, "quotation", user=_user(user), **kwargs)
        _replace_lines(quotation, QuotationLine, lines, new=True)
        workflow.QUOTATION.record(quotation, "created", user=user)
    return quotation


def save_quotation(
    quotation, *, version: int, fields: list[str], lines: list[dict], user=None
) -> Quotation:
    """Save an edited quotation and its lines, unless someone else saved it first; what
    changed goes on its timeline, old → new, with who."""
    if not quotation.is_editable:
        raise ValidationError(_("An accepted or declined quotation is no longer changed."))
    found = changes(Quotation.objects.get(pk=quotation.pk), quotation, fields)
    with transaction.atomic():
        save_versioned(quotation, version, fields=fields)
        found += _replace_lines(quotation, QuotationLine, lines)
        if found:
            workflow.QUOTATION.record(quotation, "changed", user=user, changes=found)
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


def issue_quotation(quotation, *, user, note: str = "") -> QuotationRevision:
    """Send the quotation: its `issue` move freezes a new revision and its PDF; the old
    revisions stay. IllegalTransition once accepted or declined, or without lines."""
    workflow.QUOTATION.perform(quotation, "issue", user=user, note=note)
    return quotation.revisions.order_by("-number").first()


def new_revision(quotation, *, user) -> QuotationRevision:
    """Freeze the quotation as sent, with its PDF; called by the `issue` move on the locked
    quotation. DocumentError when the PDF cannot be made: then nothing is saved."""
    last = quotation.revisions.order_by("-number").values_list("number", flat=True).first()
    revision = QuotationRevision(
        quotation=quotation,
        number=(last or 0) + 1,
        issued_on=timezone.localdate(),
        snapshot=quotation_snapshot(quotation),
        issued_by=_user(user),
    )
    data = documents.quotation_pdf(quotation, revision)
    name = file_name(quotation.code, "Quotation", revision.issued_on, revision.number, ".pdf")
    _save_file(revision.pdf, name, data)
    try:
        revision.save()
    except Exception:
        revision.pdf.delete(save=False)
        raise
    return revision


QUOTATION_ANSWERS = {Quotation.Status.ACCEPTED: "accept", Quotation.Status.DECLINED: "decline"}


def set_quotation_status(quotation, status: str, *, user=None) -> Quotation:
    """The customer accepted or declined a sent quotation (its `accept` or `decline` move)."""
    if status not in QUOTATION_ANSWERS:
        raise ValidationError({"status": [_("Choose accepted or declined.")]})
    return workflow.QUOTATION.perform(quotation, QUOTATION_ANSWERS[status], user=user)


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
    if order.confirmed_on:  # an update() sends no signal
        standing.refresh([order.project.customer_id])


def new_order(project, kind: str, *, user, values: dict) -> Order:
    """A new sample, mass or processing order of a project, not saved yet."""
    if kind not in Order.Kind.values:
        raise ValidationError({"kind": [_("Choose sample, mass or processing.")]})
    return Order(project=project, kind=kind, created_by=_user(user), **values)


def _order_code_arguments(order) -> dict:
    return code_arguments(
        "order",
        parent=order.project.code,
        date=order.ordered_on,
        fields={"kind": Order.KIND_LETTERS[order.kind]},
    )


def create_order(project, kind: str, *, user, values: dict, lines: list[dict]) -> Order:
    """A new sample, mass or processing order of a project: RK888-6-S1, -M1, -P1."""
    order = new_order(project, kind, user=user, values=values)
    with transaction.atomic():
        create_with_code(order, "order", user=_user(user), **_order_code_arguments(order))
        _replace_lines(order, OrderLine, lines, new=True)
        _recompute_total(order)
        workflow.record(order, "created", user=user)
    if kind == Order.Kind.SAMPLE:
        # Production starts with a confirmed mass or processing order, not a draft one.
        advance_project(project, Project.Status.SAMPLING, user=user)
    return order


def create_orders(orders: list[Order], lines: list[list[dict]], *, user) -> list[Order]:
    """create_order() for many new orders at once, in order (an import's chunk), each made by
    new_order() with its lines: the same parts, the codes create_order() would give them one
    after the other, totals and history, one INSERT per table (codes.create_many_with_codes);
    the projects of the sample orders moved on to sampling together. Nothing is saved when
    one is refused."""
    named = registers.parts_named_by_customer(
        [
            (order.project.customer, _line_texts(OrderLine, rows))
            for order, rows in zip(orders, lines, strict=True)
        ]
    )
    records = []
    for order, rows in zip(orders, lines, strict=True):
        customer = order.project.customer
        rows = _with_parts(customer, OrderLine, rows, named.get(customer.pk, {}))
        own = [OrderLine(order=order, position=i, **row) for i, row in enumerate(rows)]
        order.total = sum((line.amount for line in own), start=money(0))
        order.stamp()
        records += own
    arguments = [_order_code_arguments(order) for order in orders]
    with transaction.atomic():
        codes.create_many_with_codes(
            orders, "order", user=_user(user), parents=[a["parent"] for a in arguments],
            fields=[a["fields"] for a in arguments], dates=[a["date"] for a in arguments],
        )  # fmt: skip
        OrderLine.objects.bulk_create(records)
        for order in orders:
            index.write(order)  # its entry holds the lines' parts
        standing.refresh([order.project.customer_id for order in orders if order.confirmed_on])
        workflow.ORDER.record_many(orders, "created", user=user)
    samples = [order.project for order in orders if order.kind == Order.Kind.SAMPLE]
    workflow.advance_many(samples, Project.Status.SAMPLING, user=user)
    return orders


def save_order(
    order, *, version: int, fields: list[str], lines: list[dict] | None = None, user=None
):
    """Save an edited order (and its lines while they may change), unless it went stale;
    what changed goes on its timeline, old → new, with who."""
    if not order.is_open:
        raise ValidationError(_("A closed or cancelled order is no longer changed."))
    if lines is not None and not order.lines_editable:
        raise ValidationError(_("Quantities and prices are fixed once production has started."))
    stored = Order.objects.get(pk=order.pk)
    if order.state != OrderState.DRAFT and order.currency != stored.currency:
        raise ValidationError(
            {"currency": _("The order is confirmed: its currency stays %(currency)s.")
             % {"currency": stored.currency}}
        )  # fmt: skip
    found = changes(stored, order, fields)
    with transaction.atomic():
        save_versioned(order, version, fields=fields)
        if lines is not None:
            found += _replace_lines(order, OrderLine, lines)
            _recompute_total(order)
        if found:
            workflow.record(order, "changed", user=user, changes=found)
    return order


def transition(record, action: str, *, user, data=None, prefix=None):
    """Move an order, project, quotation or complaint by `action`, with what the move
    records (shipping details, the reason a project was lost …) and a note.

    IllegalTransition when the move is not allowed now, or is one the records make by
    themselves; FormErrors when its input is wrong.
    """
    flow = workflow.of(record)
    move = flow.get(action)
    if move.automatic:
        raise IllegalTransition(
            _("“%(action)s” happens by itself; it is not done by hand.") % {"action": move.label}
        )
    flow.check_source(record, move)
    form = transition_form(move, copy.copy(record), data if data is not None else {}, prefix)
    if not form.is_valid():
        raise FormErrors(form)
    values = {name: form.cleaned_data[name] for name in move.fields}
    record = flow.perform(
        record, action, user=user, values=values, note=form.cleaned_data.get("note", "")
    )
    if isinstance(record, Order) and action == "confirm" and record.kind != Order.Kind.SAMPLE:
        # Production starts with a confirmed mass or processing order, not a draft one.
        advance_project(record.project, Project.Status.MASS_PRODUCTION, user=user)
    return record


def tick_checkpoint(order, name: str, *, user, done_on=None, note="") -> Checkpoint:
    """Tick off a checkpoint (contract review, production notified …) with who and when."""
    rule = workflow.CHECKPOINTS.get(name)
    if rule is None or not rule.applies_to(order):
        raise IllegalTransition(_("“%(name)s” is not a checkpoint of this order.") % {"name": name})
    if order.state not in rule.states:
        raise IllegalTransition(
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
        raise IllegalTransition(
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
        settle(locked, amount)
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


def settle(locked: Order, amount) -> None:
    """Add `amount` to what the locked order has settled (payments, write-offs, credit used;
    less when one is taken back); its customer's balances follow."""
    locked.paid = money(locked.paid + amount)
    Order.objects.filter(pk=locked.pk).update(paid=locked.paid)
    standing.refresh_balances(  # an update() sends no signal
        Project._base_manager.filter(pk=locked.project_id).values_list("customer", flat=True)
    )


def take_back_payment(payment: Payment, *, user, reason: str) -> None:
    """Remove a payment recorded by mistake (an import undone): what it settled is owed again,
    and the order's timeline says so, with why. The payments of an order that is paid or
    closed by now stay as they are (IllegalTransition)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=payment.order_id)
        if locked.state in (OrderState.PAID, OrderState.CLOSED):
            raise IllegalTransition(
                _("%(code)s is %(state)s: its payments stay as they are.")
                % {"code": locked.code, "state": workflow.state_label(locked.state)}
            )
        stored = Payment.objects.select_for_update().get(pk=payment.pk)
        stored.delete()
        settle(locked, -stored.amount)
        workflow.record(
            locked,
            "payment_removed",
            user=user,
            note=reason,
            amount=format_money(stored.amount, locked.currency),
            received_on=stored.received_on.isoformat(),
        )


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
        workflow.COMPLAINT.record(complaint, "recorded", user=user)
    return complaint


def save_complaint(complaint, *, fields: list[str]) -> Complaint:
    complaint.save(update_fields=fields)
    return complaint


def close_complaint(complaint, *, user, closed_on=None, note: str = "") -> Complaint:
    """Close a complaint once it is analysed, corrected and the customer told the result."""
    values = {"closed_on": closed_on or timezone.localdate()}
    return workflow.COMPLAINT.perform(complaint, "close", user=user, values=values, note=note)


def reopen_complaint(complaint, *, user=None, note: str = "") -> Complaint:
    return workflow.COMPLAINT.perform(complaint, "reopen", user=user, note=note)


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


# Quotation → order ------------------------------------------------------------------------


def revision_tiers(revision) -> dict[str, list[dict]]:
    """The revision's lines by item, each item's quantity tiers from the smallest quantity."""
    tiers: dict[str, list[dict]] = {}
    for line in revision.snapshot.get("lines", []):
        tiers.setdefault(line["item"], []).append(line)
    for rows in tiers.values():
        rows.sort(key=lambda row: Decimal(row["quantity"]))
    return tiers


def tier_for(rows: list[dict], quantity) -> dict:
    """The price tier a quantity falls in: the largest tier quantity it reaches (else the
    smallest tier)."""
    chosen = rows[0]
    for row in rows:
        if Decimal(row["quantity"]) <= Decimal(quantity):
            chosen = row
    return chosen


def lead_days(lead_time: str, default: int = 30) -> int:
    """The number of days of a lead time such as "25 days after PO"."""
    digits = re.search(r"\d+", lead_time or "")
    return int(digits.group()) if digits else default


def create_order_from_revision(
    revision, *, user, kind: str = "mass", quantities: dict | None = None, values=None
) -> Order:
    """A draft order from an accepted quotation's revision: its lines at the price tier each
    ordered quantity reaches, its currency, incoterm, payment terms and lead time; the order
    keeps the revision it came from. ValidationError unless the quotation was accepted."""
    quotation = revision.quotation
    if quotation.status != Quotation.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted quotation becomes an order."))
    snapshot = revision.snapshot
    quantities = quantities or {}
    unknown = sorted(set(quantities) - set(revision_tiers(revision)))
    if unknown:
        raise ValidationError(
            {"quantities": [_("Not on the quotation: %(items)s") % {"items": ", ".join(unknown)}]}
        )
    lines = []
    for item, rows in revision_tiers(revision).items():
        quantity = Decimal(str(quantities.get(item, rows[0]["quantity"])))
        if quantity <= 0:
            raise ValidationError({"quantities": [_("A quantity must be more than zero.")]})
        tier = tier_for(rows, quantity)
        lines.append(
            {
                "part_number": item,
                "specification": tier["specification"],
                "quantity": quantity,
                "unit": tier["unit"],
                "unit_price": Decimal(tier["unit_price"]),
            }
        )
    today = timezone.localdate()
    order_values = {
        **order_initial(quotation.project, kind),
        "currency": snapshot["currency"],
        "incoterm": snapshot["incoterm"],
        "incoterm_place": snapshot["incoterm_place"],
        "payment_terms": snapshot["payment_terms"]
        or order_initial(quotation.project, kind)["payment_terms"],
        "ordered_on": today,
        "delivery_date": today + datetime.timedelta(days=lead_days(snapshot["lead_time"])),
        **(values or {}),
    }
    with transaction.atomic():
        order = create_order(quotation.project, kind, user=user, values=order_values, lines=lines)
        Order.objects.filter(pk=order.pk).update(from_revision=revision)
        order.from_revision = revision
    return order
