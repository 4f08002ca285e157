"""Printing labels, for the pages and the API alike: which record, how many, as what PDF."""

from django.core.exceptions import ValidationError
from django.http import Http404

from . import render, sources
from .forms import PrintForm


def printing(name: str, key: str, user) -> tuple[sources.Source, object]:
    """The source `name` and the record `key` names, if `user` may see it; else Http404."""
    source = sources.source(name)
    record = source.find(key, user)
    if not source.fits(record):
        raise Http404
    return source, record


def form(source, record, data=None) -> PrintForm:
    """The print form, offering the record's count (its cartons, one copy …)."""
    initial = {"count": source.count(record) if source.count else 1}
    return PrintForm(data, initial=initial, count_label=source.count_label)


def labels_pdf(source, record, data, *, go_url) -> bytes:
    """The labels asked for by `data` (size, count, start) as PDF; ValidationError if bad."""
    asked = form(source, record, data)
    if not asked.is_valid():
        raise ValidationError({field: list(errors) for field, errors in asked.errors.items()})
    values = asked.cleaned_data
    return render.labels_pdf(
        source.labels(record, values["count"]),
        render.SIZES[values["size"]],
        go_url=go_url,
        start=values["start"] or 1,
    )


def filename(source, record) -> str:
    return f"{source.key(record)} {source.title} labels.pdf"
