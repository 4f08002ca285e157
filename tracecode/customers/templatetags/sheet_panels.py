"""`{% sheet_panels customer %}` and `{% follow_up_panels %}`: what other apps add to the
customer sheet and to My follow-ups (see customers/panels.py)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..panels import FOLLOW_UPS, SHEET, panels

register = template.Library()


@register.simple_tag(takes_context=True)
def sheet_panels(context, customer):
    request = context["request"]
    parts = [
        render_to_string(name, {"customer": customer, **make(request, customer)}, request)
        for name, make in panels(SHEET)
    ]
    return mark_safe("".join(parts))  # each part is a template rendered with escaping


@register.simple_tag(takes_context=True)
def follow_up_panels(context):
    request = context["request"]
    parts = [render_to_string(name, make(request), request) for name, make in panels(FOLLOW_UPS)]
    return mark_safe("".join(parts))  # each part is a template rendered with escaping
