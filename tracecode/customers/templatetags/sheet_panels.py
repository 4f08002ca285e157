"""`{% sheet_panels customer %}`: the panels other apps add to the customer sheet."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..panels import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def sheet_panels(context, customer):
    request = context["request"]
    parts = [
        render_to_string(name, {"customer": customer, **make(request, customer)}, request)
        for name, make in panels()
    ]
    return mark_safe("".join(parts))  # each part is a template rendered with escaping
