"""Everything about one number: the tree below a customer, project or order code.

    customer → projects → quotations (revisions) and orders → documents, complaints, payments

A quotation code opens its project, a PI/CI/PL number is the order's own, and a complaint
number opens its order. What the user may not see does not exist (404).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from tracecode.accounts.visibility import visible_or_404
from tracecode.customers.models import Customer
from tracecode.files.models import StoredFile

from .models import DOCUMENT_ORDER, Complaint, Document, Order, Project, Quotation


@dataclass
class Everything:
    code: str  # the code asked for
    customer: Customer
    projects: list = field(default_factory=list)  # with .quotations_list and .orders_list
    focus: object = None  # the project or order asked for; None for a whole customer
    found_as: str = "customer"  # customer, project, quotation, order, complaint


def _orders_queryset():
    documents = Document.objects.order_by(DOCUMENT_ORDER, "version")
    return Order.objects.select_related("project").prefetch_related(
        Prefetch("documents", queryset=documents), "complaints", "payments"
    )


def _projects(customer, only_project=None, only_order=None) -> list:
    projects = Project.objects.filter(customer=customer).order_by("received_on", "pk")
    if only_project is not None:
        projects = projects.filter(pk=only_project.pk)
    orders = _orders_queryset().order_by("ordered_on", "pk")
    if only_order is not None:
        orders = orders.filter(pk=only_order.pk)
    quotations = Quotation.objects.prefetch_related("revisions").order_by("quoted_on", "pk")
    if only_order is not None:
        quotations = quotations.none()
    projects = projects.prefetch_related(
        Prefetch("quotations", queryset=quotations, to_attr="quotations_list"),
        Prefetch("orders", queryset=orders, to_attr="orders_list"),
    )
    projects = list(projects)
    _attach_files(projects)
    return projects


def _attach_files(projects) -> None:
    """`stored_files` on each project and order: what was uploaded under its code."""
    records = [*projects, *(order for project in projects for order in project.orders_list)]
    by_code: dict[str, list] = {}
    codes = [record.code for record in records]
    for stored in StoredFile.objects.filter(code__in=codes).order_by("document_type", "-pk"):
        by_code.setdefault(stored.code, []).append(stored)
    for record in records:
        record.stored_files = by_code.get(record.code, [])


def resolve(code: str, user) -> Everything:
    """The tree for a customer, project, quotation, order, PI/CI/PL or complaint code."""
    code = code.strip()
    customer = Customer.objects.visible_to(user).filter(code=code).first()
    if customer is not None:
        return Everything(code, customer, _projects(customer))
    project = Project.objects.visible_to(user).select_related("customer").filter(code=code)
    if project := project.first():
        return Everything(
            code, project.customer, _projects(project.customer, project), project, "project"
        )
    quotation = Quotation.objects.visible_to(user).select_related("project__customer")
    if quotation := quotation.filter(code=code).first():
        project = quotation.project
        return Everything(
            code, project.customer, _projects(project.customer, project), project, "quotation"
        )
    order = Order.objects.visible_to(user).select_related("project__customer").filter(code=code)
    found_as = "order"
    if not (order := order.first()):
        complaint = visible_or_404(
            Complaint.objects.select_related("order__project__customer"), user, number=code
        )
        order, found_as = complaint.order, "complaint"
    project = order.project
    return Everything(
        code, project.customer, _projects(project.customer, project, order), order, found_as
    )


def as_dict(everything: Everything) -> dict:
    """The tree as JSON for the API."""
    customer = everything.customer
    return {
        "code": everything.code,
        "found_as": everything.found_as,
        "customer": {"code": customer.code, "company_name": customer.company_name},
        "projects": [
            {
                "code": p.code,
                "name": p.name,
                "status": p.status,
                "received_on": p.received_on,
                "files": [_file_dict(f) for f in p.stored_files],
                "quotations": [
                    {
                        "code": q.code,
                        "status": q.status,
                        "quoted_on": q.quoted_on,
                        "revisions": [
                            {"number": r.number, "issued_on": r.issued_on}
                            for r in q.revisions.all()
                        ],
                    }
                    for q in p.quotations_list
                ],
                "orders": [_order_dict(o) for o in p.orders_list],
            }
            for p in everything.projects
        ],
    }


def _file_dict(stored) -> dict:
    return {
        "id": stored.pk,
        "name": stored.stored_name,
        "original_name": stored.original_name,
        "document_type": stored.document_type,
        "version": stored.version,
    }


def _order_dict(order) -> dict:
    return {
        "code": order.code,
        "files": [_file_dict(f) for f in order.stored_files],
        "kind": order.kind,
        "state": order.state,
        "ordered_on": order.ordered_on,
        "confirmed_on": order.confirmed_on,
        "delivery_date": order.delivery_date,
        "currency": order.currency,
        "total": order.total,
        "paid": order.paid,
        "balance": order.balance,
        "payment_overdue": order.is_payment_overdue,
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "number": order.code,
                "version": d.version,
                "issued_on": d.issued_on,
            }
            for d in order.documents.all()
        ],
        "complaints": [
            {
                "number": c.number,
                "received_on": c.received_on,
                "severity": c.severity,
                "open": c.is_open,
            }
            for c in order.complaints.all()
        ],
        "payments": [
            {"received_on": p.received_on, "amount": p.amount} for p in order.payments.all()
        ],
    }
