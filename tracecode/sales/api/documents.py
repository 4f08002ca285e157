"""The PI, CI and PL of an order: generated as new versions, downloaded as PDF or .xlsx."""

import posixpath

from django.http import Http404
from ninja import Status

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import answers
from tracecode.files import services as files

from .. import services
from ..forms import DocumentForm
from ..models import Document
from . import router
from .input import bound, valid
from .orders import _order
from .schemas import DocumentIn, DocumentOut


@router.post(
    "/orders/{code}/documents",
    response=answers({201: DocumentOut}, 400, 403, 404, 409, 422),
    summary="Generate the PI, CI or PL (PDF and .xlsx) as a new version",
)
def generate_document(request, code: str, payload: DocumentIn):
    order = _order(request, code, edit=True)
    kind = valid(bound(DocumentForm, payload.dict()))["kind"]
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
