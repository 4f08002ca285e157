"""/api/sales/orders/{code}/shipping: what customs and the buyer need on PI, CI and PL (the
attention contact, consignee, notify party, ports, shipping marks). The same form and service
as the page (shipping.py); HS code, origin and carton sizes are on the order's lines."""

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.core.api import Input, answers
from tracecode.customers.models import Contact

from .models import Order
from .shipping import SHIPPING_FIELDS, ShippingForm, save_shipping

router = Router(tags=["sales"])


class ShippingOut(Schema):
    code: str
    attention: str | None
    consignee: str
    notify_party: str
    port_of_loading: str
    port_of_destination: str
    shipping_marks: str

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
    return save_shipping(order, form.cleaned_data, user=request.user)
