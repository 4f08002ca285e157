"""Projects (enquiries): list, create, read, change, and the moves of their status."""

from django.db import transaction
from django.db.models import Q
from ninja import Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Pagination, answers
from tracecode.customers.models import Customer

from .. import services
from ..forms import ProjectForm
from ..models import Project
from . import router
from .input import bound, require_version, valid
from .moves import move, moves_of
from .schemas import MoveOut, ProjectIn, ProjectMoveIn, ProjectOut, ProjectPatch


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
    summary="Change a project (with version); a new `status` is the move that leads there",
)
def update_project(request, code: str, payload: ProjectPatch):
    project = _project(request, code, edit=True)
    data = payload.dict(exclude_unset=True)
    require_version(data)
    status = data.pop("status", None)
    lost_reason = data.get("lost_reason") if status else None
    form = bound(ProjectForm, data, instance=project, user=request.user)
    cleaned = valid(form)
    with transaction.atomic():
        services.save_project(form.instance, version=cleaned["version"], fields=form.model_fields)
        if status and status != project.status:
            services.set_project_status(project, status, user=request.user, lost_reason=lost_reason)
    project.refresh_from_db()
    return project


@router.get(
    "/projects/{code}/moves",
    response=answers(list[MoveOut], 404, 422),
    summary="The moves of its status possible now (win, lose, reopen)",
)
def list_project_moves(request, code: str):
    return moves_of(_project(request, code))


@router.post(
    "/projects/{code}/moves/{action}",
    response=answers(ProjectOut, 400, 403, 404, 409, 422),
    summary="Move the project's status (win, lose with the reason, reopen); 409 when not allowed",
)
def move_project(request, code: str, action: str, payload: ProjectMoveIn):
    return move(request, _project(request, code, edit=True), action, payload)
