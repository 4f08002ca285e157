"""What the search index holds for sales records (registered in SalesConfig.ready())."""

from django.urls import reverse

from tracecode.codes.models import CodeEntry
from tracecode.files.extract import extract_text
from tracecode.search import index

from .models import Complaint, Document, Order, OrderLine, Project, Quotation


def project_entries(project):
    yield {
        "kind": "project",
        "code": project.code,
        "title": project.name,
        "text": " ".join([project.name, project.request, project.channel]),
        "customer": project.customer_id,
        "url": project.get_absolute_url(),
        "date": project.received_on,
    }


def quotation_entries(quotation):
    lines = quotation.lines.all()
    yield {
        "kind": "quotation",
        "code": quotation.code,
        "title": quotation.project.name,
        "text": " ".join([quotation.notes, *(f"{q.item} {q.specification}" for q in lines)]),
        "customer": quotation.project.customer_id,
        "url": quotation.get_absolute_url(),
        "date": quotation.quoted_on,
    }


def order_entries(order):
    lines = order.lines.all()
    parts = " ".join(f"{line.part_number} {line.specification}" for line in lines)
    yield {
        "kind": "order",
        "code": order.code,
        "title": f"{order.project.name} · {order.get_kind_display()}",
        "text": " ".join([order.customer_po, order.tracking_number, order.notes, parts]),
        "customer": order.project.customer_id,
        "url": order.get_absolute_url(),
        "date": order.ordered_on,
    }


def document_entries(document):
    """A PI, CI or PL: found by its number (the order's code) and by the words inside it."""
    order = document.order
    data = document.pdf.read() if document.pdf else b""
    if document.pdf:
        document.pdf.close()
    yield {
        "kind": "document",
        "title": f"{document.kind} {order.code} v{document.version}",
        "codes": [order.code],
        "parents": _parents(order.code),
        "text": extract_text(document.pdf.name or "", data),
        "customer": order.project.customer_id,
        "url": reverse("sales:document", args=[document.pk, "pdf"]),
        "date": document.issued_on,
    }


def complaint_entries(complaint):
    order = complaint.order
    yield {
        "kind": "complaint",
        "title": f"{complaint.number} {complaint.content[:80]}",
        "codes": [complaint.number, order.code],
        "parents": _parents(order.code),
        "text": " ".join(
            [complaint.content, complaint.cause_analysis, complaint.corrective_action]
        ),
        "customer": order.project.customer_id,
        "url": complaint.get_absolute_url(),
        "date": complaint.received_on,
    }


def _parents(code: str) -> list[str]:
    """The registered codes from the root down to `code` (`RK888`, `RK888-1`, `RK888-1-S1`)."""
    lineage = [code]
    while (
        parent := CodeEntry.objects.filter(code=lineage[0])
        .values_list("parent_code", flat=True)
        .first()
    ):
        lineage.insert(0, parent)
    return lineage


def register() -> None:
    index.register(Project, project_entries)
    index.register(Quotation, quotation_entries)
    index.register(Order, order_entries)
    index.follow(OrderLine, lambda line: line.order)
    index.register(Document, document_entries)
    index.register(Complaint, complaint_entries)
