"""Quotation → order: a draft order from an accepted quotation's revision."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Status

from tracecode.core.api import Input, answers

from .. import services
from . import router
from .orders import OrderOut
from .quotations import _quotation


class OrderFromRevisionIn(Input):
    """The kind of order (default mass), the quantity ordered per quoted item (default each
    item's smallest tier; the price is the tier the quantity reaches), and optionally the
    customer's PO no. and delivery date (default: today plus the quoted lead time)."""

    kind: str = "mass"
    quantities: dict[str, Decimal] = {}
    customer_po: str = ""
    delivery_date: datetime.date | None = None


@router.post(
    "/quotations/{code}/revisions/{number}/order",
    response=answers({201: OrderOut}, 400, 403, 404, 409, 422),
    summary="Create an order from an accepted quotation's revision",
)
def create_order_from_revision(request, code: str, number: int, payload: OrderFromRevisionIn):
    quotation = _quotation(request, code, edit=True)
    revision = get_object_or_404(quotation.revisions, number=number)
    values = {"customer_po": payload.customer_po}
    if payload.delivery_date is not None:
        values["delivery_date"] = payload.delivery_date
    order = services.create_order_from_revision(
        revision,
        user=request.user,
        kind=payload.kind,
        quantities={item: str(q) for item, q in payload.quantities.items()},
        values=values,
    )
    return Status(201, order)
