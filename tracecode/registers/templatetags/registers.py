"""`{% load registers %}`: a part's prices beside a quotation, the registers' tabs."""

from django import template

from .. import labels
from ..views import price_context

register = template.Library()


@register.inclusion_tag("registers/_prices.html", takes_context=True)
def price_offer(context, part):
    """What the customer was quoted and paid for `part` (nothing when there is no part)."""
    return price_context(part, context["request"].user)


@register.filter
def full_name(material) -> str:
    """A material's full name beside its code: `Raw material: adhesive base material - …`."""
    return labels.full_name(material)
