"""`{% load sales %}`: codes as links to "everything about this number", money, states."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from ..trade import format_money, format_price, format_quantity

register = template.Library()

STATE_COLOURS = {
    "draft": "secondary",
    "confirmed": "primary",
    "in_production": "info",
    "ready": "info",
    "shipped": "primary",
    "arrived": "primary",
    "reconciled": "warning",
    "paid": "success",
    "closed": "dark",
    "cancelled": "danger",
    "new": "secondary",
    "quoting": "info",
    "sampling": "primary",
    "mass_production": "primary",
    "won": "success",
    "lost": "danger",
    "sent": "primary",
    "accepted": "success",
    "declined": "danger",
}


@register.filter
def code_link(code):
    """Any code as a link to everything about it: `{{ order.code|code_link }}`."""
    if not code:
        return ""
    try:
        url = reverse("records:everything", args=[str(code)])
    except NoReverseMatch:  # a code no URL can carry (a "/" in it): shown, not linked
        return format_html('<span class="code">{}</span>', code)
    return format_html('<a class="code" href="{}">{}</a>', url, code)


@register.filter
def money(amount, currency=""):
    """`{{ order.total|money:order.currency }}` → USD 12,345.60."""
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)


@register.filter
def price(value):
    return "" if value is None else format_price(value)


@register.filter
def qty(value):
    return format_quantity(value)


@register.filter
def state_colour(state) -> str:
    return STATE_COLOURS.get(str(state), "secondary")
