"""Field values as the history keeps them (raw, language-neutral) and as people read them."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _

from tracecode.core.concurrency import Change

from .countries import country_name, phone_display

PHONE_FIELDS = {"phone", "whatsapp"}


def raw_value(instance, name: str) -> str:
    """What the history stores for a field: a list entry's code, a user's name, ISO dates."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(u.get_username() for u in getattr(instance, name).all()))
    if field.is_relation:
        related = getattr(instance, name)
        if related is None:
            return ""
        if hasattr(related, "get_username"):
            return related.get_username()
        return getattr(related, "code", str(related.pk))
    value = getattr(instance, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items()))
    return str(value)


def display_value(model, name: str, raw: str) -> str:
    """A stored raw value as the reader understands it, in the active language."""
    if raw == "":
        return "—"
    try:
        field = model._meta.get_field(name)
    except Exception:
        return raw
    if field.is_relation and not field.many_to_many and hasattr(field.related_model, "name_zh"):
        entry = field.related_model.objects.filter(code=raw).first()
        return str(entry) if entry else raw
    if isinstance(field, models.BooleanField):
        return _("yes") if raw == "true" else _("no")
    if field.choices:
        labels = {str(value): label for value, label in field.flatchoices}
        return str(labels.get(raw, raw))
    if name == "country":
        return f"{country_name(raw)} ({raw})"
    if name in PHONE_FIELDS:
        return phone_display(raw)
    if isinstance(field, models.DecimalField):
        try:
            return f"{Decimal(raw):,.2f}"
        except ArithmeticError:
            return raw
    return raw


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def value_text(instance, name: str) -> str:
    """A field of an object as the reader understands it."""
    return display_value(type(instance), name, raw_value(instance, name))


def conflict_changes(stale, edited, expected_version: int) -> list[Change]:
    """What someone else saved after `expected_version`, beside what this user is saving,
    as the reader understands the values.

    Only the fields the other person changed are listed (with who and when); fields only
    this user changed are not a conflict.
    """
    from .models import ChangeRecord

    current = stale.current
    records = ChangeRecord.objects.filter(
        subject=current.code, version__gt=expected_version
    ).select_related("changed_by")
    latest = {}
    for record in records.order_by("changed_at", "pk"):
        latest[record.field] = record
    changes = [c for c in stale.changes if c.field in latest] or stale.changes
    found = []
    for change in changes:
        record = latest.get(change.field)
        who = record.changed_by if record else None
        found.append(
            Change(
                field=change.field,
                label=change.label,
                theirs=value_text(current, change.field),
                yours=value_text(edited, change.field),
                by=(who.get_full_name() or who.username) if who else "",
                at=record.changed_at if record else None,
            )
        )
    return found
