"""Orders: list, enter, read, change, their moves (confirm, ship …), checkpoints and
payments."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Pagination, answers

from .. import services
from ..forms import CheckpointForm, OrderForm, OrderLineFormSet, PaymentForm
from ..models import Order, OrderState
from . import router
from .input import bound, patched, valid, valid_lines
from .moves import move, moves_of
from .projects import _project
from .schemas import (
    CheckpointIn,
    CheckpointOut,
    MoveIn,
    MoveOut,
    OrderIn,
    OrderOut,
    OrderPatch,
    OrderSummary,
    PaymentIn,
    PaymentOut,
)


def _order(request, code, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(Order.objects.select_related("project__customer"), request.user, code=code)


@router.get(
    "/orders", response=answers(list[OrderSummary], 422), summary="Orders you may see, filtered"
)
@paginate(Pagination)
def list_orders(
    request,
    state: str = "",
    kind: str = "",
    customer: str = "",
    q: str = "",
    overdue: bool = False,
    late: bool = False,
):
    orders = Order.objects.visible_to(request.user).select_related("project__customer")
    if state == "open":
        orders = orders.exclude(state__in=[OrderState.CLOSED, OrderState.CANCELLED])
    elif state:
        orders = orders.filter(state=state)
    if kind:
        orders = orders.filter(kind=kind)
    if customer:
        orders = orders.filter(project__customer__code=customer)
    if q:
        orders = orders.filter(Q(code__istartswith=q) | Q(project__name__icontains=q))
    if overdue:
        orders = orders.payment_overdue()
    if late:
        orders = orders.delivery_late()
    return orders


@router.post(
    "/orders",
    response=answers({201: OrderOut}, 400, 403, 404, 409, 422),
    summary="Enter a sample, mass or processing order",
)
def create_order(request, payload: OrderIn):
    data = payload.dict(exclude_unset=True)
    project = _project(request, data.pop("project"), edit=True)
    kind = data.pop("kind")
    if kind not in Order.Kind.values:
        raise ValidationError({"kind": [f"Choose one of {', '.join(Order.Kind.values)}."]})
    data.pop("lines", None)
    lines = valid_lines(
        OrderLineFormSet, [line.dict() for line in payload.lines], customer=project.customer
    )
    defaults = services.order_initial(project, kind)
    form = bound(OrderForm, {**defaults, **data}, kind=kind)
    order = services.create_order(project, kind, user=request.user, values=valid(form), lines=lines)
    return Status(201, order)


@router.get(
    "/orders/{code}",
    response=answers(OrderOut, 404, 422),
    summary="One order with all that hangs off it",
)
def get_order(request, code: str):
    return _order(request, code)


@router.patch(
    "/orders/{code}",
    response=answers(OrderOut, 400, 403, 404, 409, 422),
    summary="Change an order (with version)",
)
def update_order(request, code: str, payload: OrderPatch):
    order = _order(request, code, edit=True)
    form, cleaned, lines = patched(OrderForm, OrderLineFormSet, order, payload)
    services.save_order(
        form.instance,
        version=cleaned["version"],
        fields=form.model_fields,
        lines=lines,
        user=request.user,
    )
    order.refresh_from_db()
    return order


@router.get(
    "/orders/{code}/moves",
    response=answers(list[MoveOut], 404, 422),
    summary="The moves possible now",
)
def list_moves(request, code: str):
    return moves_of(_order(request, code))


@router.post(
    "/orders/{code}/moves/{action}",
    response=answers(OrderOut, 400, 403, 404, 409, 422),
    summary="Move the order (confirm, start_production, ship …); 409 when not allowed",
)
def move_order(request, code: str, action: str, payload: MoveIn):
    return move(request, _order(request, code, edit=True), action, payload)


@router.post(
    "/orders/{code}/checkpoints/{name}",
    response=answers(CheckpointOut, 400, 403, 404, 409, 422),
    summary="Tick off a checkpoint (contract_review, production_notified …)",
)
def tick_checkpoint(request, code: str, name: str, payload: CheckpointIn):
    order = _order(request, code, edit=True)
    values = valid(bound(CheckpointForm, payload.dict(exclude_unset=True)))
    return services.tick_checkpoint(order, name, user=request.user, **values)


@router.get(
    "/orders/{code}/payments",
    response=answers(list[PaymentOut], 404, 422),
    summary="Payments received",
)
def list_payments(request, code: str):
    return list(_order(request, code).payments.all())


@router.post(
    "/orders/{code}/payments",
    response=answers({201: PaymentOut}, 400, 403, 404, 409, 422),
    summary="Record a payment",
)
def record_payment(request, code: str, payload: PaymentIn):
    order = _order(request, code, edit=True)
    values = valid(bound(PaymentForm, payload.dict(exclude_unset=True)))
    payment = services.record_payment(order, user=request.user, values=values)
    return Status(201, payment)
