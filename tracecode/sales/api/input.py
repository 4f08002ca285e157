"""How the sales API reads its input: through the pages' own forms and formsets, so a bad
field gets the message the page shows (422, by field)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from tracecode.core.refusals import FormErrors

from ..forms import formset_data


def plain(value):
    """A value as a form field receives it from a browser."""
    if value is None:
        return ""
    if isinstance(value, datetime.date | Decimal | int | float):
        return str(value)
    return value


def bound(form_class, payload: dict, *, instance=None, **kwargs):
    """The form bound to the current values overlaid with what the client sent."""
    if instance is not None:
        kwargs["instance"] = instance
    probe = form_class(**kwargs)
    data = {}
    for name in probe.fields:
        value = payload[name] if name in payload else probe[name].value()
        data[name] = plain(value)
    return form_class(data, **kwargs)


def valid(form):
    """The form's cleaned data, or 422 with its field errors."""
    if not form.is_valid():
        raise FormErrors(form)
    return form.cleaned_data


def valid_lines(
    formset_class, rows: list[dict], prefix: str = "lines", customer=None
) -> list[dict]:
    """Lines checked by the page's formset; errors are named `lines.0.quantity`. With
    `customer`, a line may name one of its registered parts (`part`: its code)."""
    kwargs = {"form_kwargs": {"customer": customer}} if customer is not None else {}
    formset = formset_class(
        formset_data([{k: plain(v) for k, v in r.items()} for r in rows], prefix),
        prefix=prefix,
        **kwargs,
    )
    if not formset.is_valid():
        fields = {}
        for i, errors in enumerate(formset.errors):
            for name, messages in errors.items():
                fields[f"{prefix}.{i}.{name}"] = messages
        if formset.non_form_errors():
            fields[prefix] = list(formset.non_form_errors())
        raise ValidationError(fields)
    return formset.lines()


def require_version(payload: dict) -> None:
    if payload.get("version") is None:
        raise ValidationError({"version": ["Send the version you read (optimistic locking)."]})


def patched(form_class, formset_class, instance, payload):
    """A versioned PATCH of a record with lines: (bound form, cleaned data, checked lines);
    lines are None when the client sent none."""
    data = payload.dict(exclude_unset=True)
    require_version(data)
    data.pop("lines", None)
    rows = [line.dict() for line in payload.lines] if payload.lines is not None else None
    customer = instance.project.customer
    lines = valid_lines(formset_class, rows, customer=customer) if rows is not None else None
    form = bound(form_class, data, instance=instance)
    return form, valid(form), lines
