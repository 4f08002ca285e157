"""The sales app's kinds in the record registry: projects, quotations, orders, complaints, and
what is filed under their codes (quotation revisions, PI/CI/PL, payments), and under the
registers' codes: the projects and lines that name a part, the BOM lines and lots that name
a material or a supplier.

How each shows on a page, what the search index holds for it and which files it has in the
client folder framework; registered from SalesConfig.ready().
"""

import dataclasses
import functools

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.files.extract import extract_text
from tracecode.search import index

from .models import (
    BomLine,
    Complaint,
    Document,
    MaterialLot,
    Order,
    OrderLine,
    Payment,
    Project,
    Quotation,
    QuotationLine,
    QuotationRevision,
)
from .trade import format_money, format_price, format_quantity

# --- rows -----------------------------------------------------------------------------------


def project_row(project: Project) -> Row:
    return Row(
        title=project.name,
        url=project.get_absolute_url(),
        code=project.code,
        date=project.received_on,
        state=project.get_status_display(),
        state_key=project.status,
    )


def quotation_row(quotation: Quotation) -> Row:
    return Row(
        title=str(_("Quotation")),
        url=quotation.get_absolute_url(),
        code=quotation.code,
        date=quotation.quoted_on,
        state=quotation.get_status_display(),
        state_key=quotation.status,
        details=[quotation.currency, quotation.get_incoterm_display()],
    )


def order_row(order: Order) -> Row:
    details = []
    if order.confirmed_on:
        details.append(_("confirmed %(date)s") % {"date": f"{order.confirmed_on:%Y-%m-%d}"})
    details.append(_("delivery %(date)s") % {"date": f"{order.delivery_date:%Y-%m-%d}"})
    if order.etd:
        details.append(f"ETD {order.etd:%Y-%m-%d}")
    details.append(format_money(order.total, order.currency))
    if order.paid:
        details.append(_("balance %(amount)s") % {"amount": format_money(order.balance)})
    return Row(
        title=order.get_kind_display(),
        url=order.get_absolute_url(),
        code=order.code,
        date=order.ordered_on,
        state=order.get_state_display(),
        state_key=order.state,
        details=details,
        warning=_("payment overdue") if order.is_payment_overdue else "",
    )


def complaint_row(complaint: Complaint) -> Row:
    return Row(
        title=complaint.content[:120],
        url=complaint.get_absolute_url(),
        code=complaint.number,
        date=complaint.received_on,
        state=_("open") if complaint.is_open else _("closed"),
        state_key="draft" if complaint.is_open else "paid",
        details=[complaint.get_severity_display()],
        badge=_("complaint"),
    )


def revision_row(revision: QuotationRevision) -> Row:
    quotation = revision.quotation
    return Row(
        title=_("rev. %(number)s") % {"number": revision.number},
        url=reverse("sales:revision_pdf", args=[quotation.code, revision.number]),
        code=quotation.code,
        date=revision.issued_on,
        badge=_("quotation"),
        links=[("PDF", reverse("sales:revision_pdf", args=[quotation.code, revision.number]))],
    )


def document_row(document: Document) -> Row:
    return Row(
        title=f"{document.kind} {document.order.code} v{document.version}",
        url=reverse("sales:document", args=[document.pk, "pdf"]),
        code=document.order.code,
        date=document.issued_on,
        badge=document.kind,
        links=[
            ("PDF", reverse("sales:document", args=[document.pk, "pdf"])),
            ("Excel", reverse("sales:document", args=[document.pk, "xlsx"])),
        ],
    )


def payment_row(payment: Payment) -> Row:
    order = payment.order
    details = [payment.get_method_display()]
    if payment.reference:
        details.append(payment.reference)
    return Row(
        title=format_money(payment.amount, order.currency),
        url=f"{order.get_absolute_url()}#payments",
        code=order.code,
        date=payment.received_on,
        badge=_("payment"),
        details=details,
    )


def part_project_row(project: Project) -> Row:
    """A project as a part's page lists it: its code beside the name."""
    return dataclasses.replace(project_row(project), title=f"{project.code} ({project.name})")


def quoted_part_row(line: QuotationLine) -> Row:
    quotation = line.quotation
    return Row(
        title=f"{quotation.code} · {line.item} · {format_quantity(line.quantity)} {line.unit} · "
        f"{quotation.currency} {format_price(line.unit_price)}",
        url=quotation.get_absolute_url(),
        code=quotation.code,
        date=quotation.quoted_on,
        state=quotation.get_status_display(),
        state_key=quotation.status,
        badge=_("quotation"),
    )


def ordered_part_row(line: OrderLine) -> Row:
    order = line.order
    return Row(
        title=f"{order.code} · {line.part_number} · {format_quantity(line.quantity)} "
        f"{line.unit} · {order.currency} {format_price(line.unit_price)}",
        url=order.get_absolute_url(),
        code=order.code,
        date=order.ordered_on,
        state=order.get_state_display(),
        state_key=order.state,
        badge=order.get_kind_display(),
    )


def bom_line_row(line: BomLine) -> Row:
    order = line.order
    details = [
        f"{format_quantity(line.quantity_per_unit)} {line.unit}",
        line.get_supplied_by_display(),
    ]
    if line.material_id:
        details.insert(0, line.material.code)
    return Row(
        title=f"{order.code} · {line.part_number} {line.description}".strip(),
        url=f"{order.get_absolute_url()}#processing-heading",
        code=order.code,
        date=order.ordered_on,
        state=order.get_state_display(),
        state_key=order.state,
        badge=_("BOM"),
        details=details,
    )


def lot_row(lot: MaterialLot) -> Row:
    order = lot.order
    return Row(
        title=_("%(order)s · lot %(lot)s of %(part)s")
        % {"order": order.code, "lot": lot.lot_number, "part": lot.bom_line.part_number},
        url=f"{order.get_absolute_url()}#processing-heading",
        code=order.code,
        date=lot.received_on,
        state=lot.get_result_display(),
        state_key={"passed": "paid", "concession": "reconciled", "rejected": "cancelled"}.get(
            lot.result, "draft"
        ),
        badge=_("lot"),
        details=[format_quantity(lot.quantity)],
    )


# --- search entries -------------------------------------------------------------------------


def project_entries(project: Project):
    yield {
        "kind": "project",
        "code": project.code,
        "title": project.name,
        "text": " ".join([project.name, project.request, project.channel]),
        "customer": project.customer_id,
        "url": project.get_absolute_url(),
        "date": project.received_on,
        "parents": registry.lineage(project),
        "codes": [project.part.code] if project.part_id else [],
    }


def quotation_entries(quotation: Quotation):
    lines = quotation.lines.all()
    yield {
        "kind": "quotation",
        "code": quotation.code,
        "title": quotation.project.name,
        "text": " ".join([quotation.notes, *(f"{q.item} {q.specification}" for q in lines)]),
        "customer": quotation.project.customer_id,
        "url": quotation.get_absolute_url(),
        "date": quotation.quoted_on,
        # Through the records, not the code: a BJ202612… quotation is still under RK1045-3.
        "parents": registry.lineage(quotation),
        "codes": _codes(line.part for line in lines),  # found under the parts it quotes
    }


def _codes(records) -> list[str]:
    return list(dict.fromkeys(record.code for record in records if record is not None))


def order_entries(order: Order):
    """An order: found by its code, its part numbers, and the codes of the parts, materials
    and suppliers its lines, BOM and lots name (01.01.00001 finds the orders that used it)."""
    lines = order.lines.all()
    parts = " ".join(f"{line.part_number} {line.specification}" for line in lines)
    bom = list(_prefetched(order, "bom_lines", "material", "supplier"))
    lots = list(_prefetched(order, "material_lots", "supplier"))
    named = [line.part for line in lines]
    named += [b.material for b in bom] + [b.supplier for b in bom] + [lot.supplier for lot in lots]
    yield {
        "kind": "order",
        "code": order.code,
        "title": f"{order.project.name} · {_english_kind(order.kind)}",
        "text": " ".join([order.customer_po, order.tracking_number, order.notes, parts]),
        "customer": order.project.customer_id,
        "url": order.get_absolute_url(),
        "date": order.ordered_on,
        "parents": registry.lineage(order),
        "codes": _codes(named),
    }


def _prefetched(record, name: str, *related: str):
    """A relation as prefetched by the index's queryset (ORDER_ENTRIES), else read with the
    records it names."""
    if name in getattr(record, "_prefetched_objects_cache", {}):
        return getattr(record, name).all()
    return getattr(record, name).select_related(*related)


# What order_entries reads, for indexing many orders at once (a reindex, an import's chunk).
ORDER_ENTRIES = ("lines__part", "bom_lines__material", "bom_lines__supplier",
                 "material_lots__supplier")  # fmt: skip


@functools.cache
def _english_kind(kind: str) -> str:
    """The index holds an order's kind in English, whoever saved it (order_search_title)."""
    with translation.override("en"):
        return str(Order.Kind(kind).label)


def order_search_title(title: str) -> str:
    """An order's search title ("SP1003 · sample order") with its kind in the reader's words."""
    name, separator, kind = title.rpartition(" · ")
    for value in Order.Kind.values:
        if kind == _english_kind(value):
            return f"{name}{separator}{Order.Kind(value).label}"
    return title


def document_entries(document: Document):
    """A PI, CI or PL: found by its number (the order's code) and by the words inside it."""
    order = document.order
    data = document.pdf.read() if document.pdf else b""
    if document.pdf:
        document.pdf.close()
    yield {
        "kind": "document",
        "title": f"{document.kind} {order.code} v{document.version}",
        "codes": [order.code],
        "parents": [*registry.lineage(order), order.code],
        "text": extract_text(document.pdf.name or "", data),
        "customer": order.project.customer_id,
        "url": reverse("sales:document", args=[document.pk, "pdf"]),
        "date": document.issued_on,
    }


def complaint_entries(complaint: Complaint):
    order = complaint.order
    yield {
        "kind": "complaint",
        "title": f"{complaint.number} {complaint.content[:80]}",
        "codes": [complaint.number, order.code],
        "parents": [*registry.lineage(order), order.code],
        "text": " ".join(
            [complaint.content, complaint.cause_analysis, complaint.corrective_action]
        ),
        "customer": order.project.customer_id,
        "url": complaint.get_absolute_url(),
        "date": complaint.received_on,
    }


# --- files in the client folder -------------------------------------------------------------


def document_files(customer):
    """The generated PI/CI/PL of a customer, for its folder .zip and sync."""
    documents = Document.objects.filter(order__project__customer=customer)
    for pdf, xlsx in documents.values_list("pdf", "xlsx"):
        yield pdf
        yield xlsx


def revision_files(customer):
    revisions = QuotationRevision.objects.filter(quotation__project__customer=customer)
    yield from revisions.values_list("pdf", flat=True)


def register() -> None:
    K, F = registry.Kind, registry.Filed
    registry.register(
        K("project", Project, _("Projects"), position=20, parent="customer", row=project_row,
          entries=project_entries, date="received_on", short_query=True,
          related=("customer",), folder=lambda project: project.name,
          entries_queryset=lambda: Project.objects.select_related("customer", "part"))
    )  # fmt: skip
    registry.register(
        K("quotation", Quotation, _("Quotations"), position=30, parent="project",
          row=quotation_row, entries=quotation_entries, date="quoted_on",
          related=("project__customer",),
          entries_queryset=lambda: Quotation.objects.select_related("project__customer"))
    )  # fmt: skip
    registry.register(
        K("order", Order, _("Orders"), position=40, parent="project", row=order_row,
          entries=order_entries, search_title=order_search_title, date="ordered_on",
          related=("project__customer",),
          folder=lambda order: "",
          entries_queryset=lambda: Order.objects.select_related("project__customer")
          .prefetch_related(*ORDER_ENTRIES))
    )  # fmt: skip
    registry.register(
        K("complaint", Complaint, _("Complaints"), position=60, parent="order",
          code_field="number", row=complaint_row, entries=complaint_entries,
          date="received_on", related=("order__project__customer",))
    )  # fmt: skip
    registry.register(
        F("revision", QuotationRevision, _("Quotation revisions"), position=35,
          code_path="quotation__code", date="issued_on", row=revision_row,
          files=revision_files, related=("quotation",))
    )  # fmt: skip
    registry.register(
        F("document", Document, _("Documents"), position=50, code_path="order__code",
          date="issued_on", row=document_row, entries=document_entries, files=document_files,
          related=("order__project",))
    )  # fmt: skip
    registry.register(
        F("payment", Payment, _("Payments"), position=55, code_path="order__code",
          date="received_on", row=payment_row, related=("order",))
    )  # fmt: skip
    # What names a part, material or supplier is filed under its code (the part's and
    # material's Everything page). `project` is the coded kind at 20: `part_project`, the
    # same model filed under a part, stands after it so kind_of_model(Project) stays `project`.
    registry.register(
        F("part_project", Project, _("Projects"), position=21, code_path="part__code",
          date="received_on", row=part_project_row, related=("customer",))
    )  # fmt: skip
    registry.register(
        F("part_quote", QuotationLine, _("Quoted prices"), position=32, code_path="part__code",
          date="quotation__quoted_on", row=quoted_part_row, related=("quotation",))
    )  # fmt: skip
    registry.register(
        F("part_order", OrderLine, _("Ordered prices"), position=42, code_path="part__code",
          date="order__ordered_on", row=ordered_part_row, related=("order",))
    )  # fmt: skip
    registry.register(
        F("material_bom", BomLine, _("BOM lines"), position=46, code_path="material__code",
          date="order__ordered_on", row=bom_line_row, related=("order", "material"))
    )  # fmt: skip
    registry.register(
        F("material_lot", MaterialLot, _("Material lots"), position=47,
          code_path="bom_line__material__code", date="received_on", row=lot_row,
          related=("order", "bom_line"))
    )  # fmt: skip
    registry.register(
        F("supplier_bom", BomLine, _("BOM lines bought from it"), position=48,
          code_path="supplier__code", date="order__ordered_on", row=bom_line_row,
          related=("order", "material"))
    )  # fmt: skip
    registry.register(
        F("supplier_lot", MaterialLot, _("Lots it delivered"), position=49,
          code_path="supplier__code", date="received_on", row=lot_row,
          related=("order", "bom_line"))
    )  # fmt: skip
    index.follow(OrderLine, lambda line: line.order)
    index.follow(QuotationLine, lambda line: line.quotation)
    index.follow(BomLine, lambda line: line.order)
    index.follow(MaterialLot, lambda lot: lot.order)
