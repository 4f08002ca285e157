"""Complaints: list, record (numbered from the order), read, change, close and reopen."""

from ninja import Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Pagination, answers

from .. import services
from ..forms import ComplaintForm
from ..models import Complaint
from . import router
from .input import bound, valid
from .moves import move, moves_of
from .orders import _order
from .schemas import ComplaintIn, ComplaintMoveIn, ComplaintOut, ComplaintPatch, MoveOut


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
        complaints = complaints.exclude(state=Complaint.State.CLOSED)
    elif show == "closed":
        complaints = complaints.filter(state=Complaint.State.CLOSED)
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


@router.get(
    "/complaints/{number}/moves",
    response=answers(list[MoveOut], 404, 422),
    summary="The moves possible now (close, reopen)",
)
def list_complaint_moves(request, number: str):
    return moves_of(_complaint(request, number))


@router.post(
    "/complaints/{number}/moves/{action}",
    response=answers(ComplaintOut, 400, 403, 404, 409, 422),
    summary="Move the complaint (close once settled, reopen); 409 when not allowed",
)
def move_complaint(request, number: str, action: str, payload: ComplaintMoveIn):
    return move(request, _complaint(request, number, edit=True), action, payload)
