"""Template helpers of the customer sheet: countries and phones as people read them."""

from django import template
from django.utils import timezone

from ..countries import country_name, phone_display, whatsapp_link

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def phone(e164: str) -> str:
    return phone_display(e164)


@register.filter
def whatsapp(e164: str) -> str:
    return whatsapp_link(e164)


@register.filter
def due_state(day) -> str:
    """'overdue', 'today' or '' for a due date, as the list and follow-ups colour it."""
    if day is None:
        return ""
    today = timezone.localdate()
    if day < today:
        return "overdue"
    return "today" if day == today else ""


@register.filter
def field_of(form, name):
    return form[name] if name in form.fields else None
