"""`{% load payments %}{% payment_panel order can_edit %}`: instalments due, write-offs and
credit on the order page, with the forms that record them."""

from django import template

from .. import services
from ..forms import WRITE_OFF, UseCreditForm, WriteOffForm

register = template.Library()


@register.inclusion_tag("payments/_order_panel.html", takes_context=True)
def payment_panel(context, order, can_edit=False):
    customer = order.project.customer
    credit = services.credit_of(customer, order.currency)
    return {
        "order": order,
        "customer": customer,
        "can_edit": can_edit and order.state in services.OWING,
        "dues": services.due_dates(order) if order.state in services.OWING else [],
        "write_offs": order.write_offs.all(),
        "credit": credit,
        "write_off_form": WriteOffForm(
            initial={"amount": order.balance, "reason": "bank_charges"}, prefix=WRITE_OFF
        ),
        "use_credit_form": UseCreditForm(),
        "csrf_token": context.get("csrf_token"),
    }
