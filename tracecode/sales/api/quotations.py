"""Quotations: list, create, read, change, issue (a new revision with its PDF), accepted or
declined, and the revisions' PDFs."""

import posixpath

from ninja import Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Pagination, answers
from tracecode.files import services as files

from .. import services
from ..forms import QuotationForm, QuotationLineFormSet
from ..models import Quotation, QuotationRevision
from . import router
from .input import bound, patched, valid, valid_lines
from .moves import move, moves_of
from .projects import _project
from .schemas import (
    MoveOut,
    NoteIn,
    QuotationIn,
    QuotationOut,
    QuotationPatch,
    RevisionOut,
    StatusIn,
)


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
    quotation = services.create_quotation(project, user=request.user, values=values, lines=lines)
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
    services.save_quotation(
        form.instance,
        version=cleaned["version"],
        fields=form.model_fields,
        lines=lines,
        user=request.user,
    )
    return form.instance


@router.post(
    "/quotations/{code}/issue",
    response=answers({201: RevisionOut}, 403, 404, 409, 422),
    summary="Send the quotation: a new revision with its PDF",
)
def issue_quotation(request, code: str):
    quotation = _quotation(request, code, edit=True)
    revision = services.issue_quotation(quotation, user=request.user)
    return Status(201, revision)


@router.post(
    "/quotations/{code}/status",
    response=answers(QuotationOut, 400, 403, 404, 409, 422),
    summary="Accepted or declined",
)
def quotation_status(request, code: str, payload: StatusIn):
    quotation = _quotation(request, code, edit=True)
    return services.set_quotation_status(quotation, payload.status, user=request.user)


@router.get(
    "/quotations/{code}/moves",
    response=answers(list[MoveOut], 404, 422),
    summary="The moves possible now (issue, accept, decline)",
)
def list_quotation_moves(request, code: str):
    return moves_of(_quotation(request, code))


@router.post(
    "/quotations/{code}/moves/{action}",
    response=answers(QuotationOut, 400, 403, 404, 409, 422),
    summary="Move the quotation (issue: a new revision, accept, decline); 409 when not allowed",
)
def move_quotation(request, code: str, action: str, payload: NoteIn):
    return move(request, _quotation(request, code, edit=True), action, payload)


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
