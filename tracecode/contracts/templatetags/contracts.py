"""`{% load contracts %}{% contract_panel order can_edit %}`: the order page's contract box."""

from django import template

from ..forms import IssueForm
from ..models import Contract

register = template.Library()


@register.inclusion_tag("contracts/_order_panel.html", takes_context=True)
def contract_panel(context, order, can_edit=False):
    contract = Contract.objects.filter(order=order).prefetch_related("amendments").first()
    return {
        "order": order,
        "contract": contract,
        "can_edit": can_edit,
        "issue_form": IssueForm(),
        "csrf_token": context.get("csrf_token"),
    }
