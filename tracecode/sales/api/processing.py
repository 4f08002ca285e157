"""Processing (toll manufacturing) orders: the customer's BOM, the material lots it sends
and their incoming inspection, repairs after delivery."""

from django.core.exceptions import ValidationError
from ninja import Status

from tracecode.accounts.visibility import editable_or_404
from tracecode.core.api import answers

from .. import services
from ..forms import BomLineFormSet, InspectionForm, MaterialLotForm, RepairForm
from ..models import MaterialLot
from . import router
from .input import bound, valid, valid_lines
from .orders import _order
from .schemas import BomIn, BomLineOut, InspectionIn, LotIn, LotOut, RepairIn, RepairOut


@router.put(
    "/orders/{code}/bom",
    response=answers(list[BomLineOut], 400, 403, 404, 409, 422),
    summary="The customer's BOM",
)
def put_bom(request, code: str, payload: BomIn):
    order = _order(request, code, edit=True)
    rows = valid_lines(BomLineFormSet, [line.dict() for line in payload.lines], prefix="bom")
    services.save_bom(order, rows)
    return list(order.bom_lines.select_related("material", "supplier"))


@router.post(
    "/orders/{code}/lots",
    response=answers({201: LotOut}, 400, 403, 404, 409, 422),
    summary="Customer material arrived",
)
def receive_lot(request, code: str, payload: LotIn):
    order = _order(request, code, edit=True)
    data = payload.dict(exclude_unset=True)
    number, material = data.pop("part_number", ""), data.pop("material", None)
    line = order.bom_lines.filter(supplied_by="customer")
    line = line.filter(material__code=material) if material else line.filter(part_number=number)
    if not (line := line.first()):
        field = "material" if material else "part_number"
        message = f"No customer-supplied material with this {field.replace('_', ' ')} in the BOM."
        raise ValidationError({field: [message]})
    data["bom_line"] = line.pk
    values = valid(bound(MaterialLotForm, data, order=order))
    return Status(201, services.receive_material(order, user=request.user, values=values))


@router.post(
    "/lots/{lot_id}/inspection",
    response=answers(LotOut, 400, 403, 404, 409, 422),
    summary="Record a lot's IQC result",
)
def inspect_lot(request, lot_id: int, payload: InspectionIn):
    lot = editable_or_404(MaterialLot.objects.select_related("order"), request.user, pk=lot_id)
    values = valid(bound(InspectionForm, payload.dict(exclude_unset=True), instance=lot))
    return services.inspect_lot(lot, user=request.user, values=values)


@router.post(
    "/orders/{code}/repairs",
    response=answers({201: RepairOut}, 400, 403, 404, 409, 422),
    summary="Record a repair",
)
def record_repair(request, code: str, payload: RepairIn):
    order = _order(request, code, edit=True)
    values = valid(bound(RepairForm, payload.dict(exclude_unset=True)))
    return Status(201, services.record_repair(order, user=request.user, values=values))
