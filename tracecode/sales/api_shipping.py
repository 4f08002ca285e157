"""/api/sales/orders/{code}/shipping: what customs and the buyer need on PI, CI and PL (the
attention contact, consignee, notify party, ports, shipping marks, and each line's packing:
cartons, weights, carton sizes, HS code, origin). The same forms and service as the page
(shipping.py); every change is on the order's timeline, old → new."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Input, answers
from tracecode.customers.models import Contact

from .models import Order
from .shipping import PACKING_FIELDS, SHIPPING_FIELDS, ShippingForm, packing_forms, save_shipping

router = Router(tags=["sales"])


class PackingOut(Schema):
    part_number: str
    quantity: Decimal
    cartons: int | None
    net_weight: Decimal | None
    gross_weight: Decimal | None
    carton_length: Decimal | None
    carton_width: Decimal | None
    carton_height: Decimal | None
    hs_code: str
    origin: str


class PackingIn(Input):
    cartons: int | None = None
    net_weight: Decimal | None = None
    gross_weight: Decimal | None = None
    carton_length: Decimal | None = None
    carton_width: Decimal | None = None
    carton_height: Decimal | None = None
    hs_code: str | None = None
    origin: str | None = None


class ShippingOut(Schema):
    code: str
    attention: str | None
    consignee: str
    notify_party: str
    port_of_loading: str
    port_of_destination: str
    shipping_marks: str
    lines: list[PackingOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_attention(obj) -> str | None:
        return obj.attention.code if obj.attention_id else None


class ShippingIn(Input):
    attention: str | None = None
    consignee: str | None = None
    notify_party: str | None = None
    port_of_loading: str | None = None
    port_of_destination: str | None = None
    shipping_marks: str | None = None
    lines: list[PackingIn] | None = None  # each line's packing, in order; fields left out stay


ORDERS = Order.objects.select_related("project__customer", "attention")


@router.get(
    "/{code}/shipping",
    response=answers(ShippingOut, 404, 422),
    summary="An order's shipping and customs details",
)
def get_shipping(request, code: str):
    return visible_or_404(ORDERS, request.user, code=code)


@router.put(
    "/{code}/shipping",
    response=answers(ShippingOut, 400, 403, 404, 422),
    summary="Change an order's shipping and customs details (attention: a contact code)",
)
def put_shipping(request, code: str, payload: ShippingIn):
    order = editable_or_404(ORDERS, request.user, code=code)
    sent = payload.dict(exclude_unset=True)
    rows = sent.pop("lines", None)
    data = {name: getattr(order, name) for name in SHIPPING_FIELDS if name != "attention"}
    data["attention"] = order.attention_id
    for name, value in sent.items():
        data[name] = "" if value is None and name != "attention" else value
    if sent.get("attention"):
        contact = Contact.objects.filter(
            customer=order.project.customer, code=sent["attention"]
        ).first()
        if contact is None:
            raise ValidationError({"attention": ["No contact of this customer has this code."]})
        data["attention"] = contact.pk
    form = ShippingForm(data, instance=order)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    lines = None
    if rows is not None:
        if len(rows) > order.lines.count():
            raise ValidationError({"lines": ["More lines than the order has."]})
        packing = packing_forms(order, rows=[{k: v for k, v in r.items()} for r in rows])
        problems = {
            f"lines.{number}.{name}": errors
            for number, f in enumerate(packing, start=1)
            if not f.is_valid()
            for name, errors in f.errors.as_data().items()
        }
        if problems:
            raise ValidationError(problems)
        lines = [
            {
                n: f.cleaned_data[n]
                for n in PACKING_FIELDS
                if n in (rows[i] if i < len(rows) else {})
            }
            for i, f in enumerate(packing)
        ]
    return save_shipping(order, form.cleaned_data, user=request.user, lines=lines)
