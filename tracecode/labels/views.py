"""Label sheets to print, and /go/<code>: what a scanned label or a scanner's keystrokes open."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from tracecode.codes import registry

from . import render as labels_render
from . import sources
from .forms import PrintForm


def landing(found: registry.Found) -> str:
    """Where a code leads: the record's own page, else its Everything page."""
    row = found.kind.row(found.record) if found.kind.row else None
    if row is not None and row.url:
        return row.url
    return reverse("records:everything", args=[found.code])


@login_required
def go(request, code: str):
    """Open whatever `code` names (any kind, case or width); unknown and hidden alike: 404.

    From the header box (`?from=search`), a query that is no code the user may see opens the
    search results instead.
    """
    found = registry.find(code, request.user)
    if found is None:
        if request.GET.get("from") == "search":
            return redirect(reverse("search:results") + "?" + urlencode({"q": code}))
        raise Http404
    return redirect(landing(found))


def go_url(request):
    """`<site>/go/<code>`, the address a label's QR holds, as this request reaches the site."""
    return lambda code: request.build_absolute_uri(reverse("labels:go", args=[code]))


def _printing(request, name: str, key: str):
    source = sources.source(name)
    record = source.find(key, request.user)
    if not source.fits(record):
        raise Http404
    return source, record


def _form(source, record, data=None) -> PrintForm:
    initial = {"count": source.count(record) if source.count else 1}
    return PrintForm(data, initial=initial, count_label=source.count_label)


@login_required
def print_labels(request, source: str, key: str):
    """The print page: size, how many, where to start; the PDF opens beside it."""
    source, record = _printing(request, source, key)
    form = _form(source, record)
    return _page(request, source, record, form)


def _page(request, source, record, form, status=200):
    count = form.initial["count"]
    preview = source.labels(record, count)[:3]
    return render(
        request,
        "labels/print.html",
        {
            "source": source,
            "record": record,
            "key": source.key(record),
            "form": form,
            "preview": preview,
            "count": count,
            "code": preview[0].code if preview else "",
        },
        status=status,
    )


@login_required
def labels_pdf(request, source: str, key: str):
    """The label sheet as a PDF, opened in the browser to print."""
    source, record = _printing(request, source, key)
    form = _form(source, record, request.GET)
    if not form.is_valid():
        return _page(request, source, record, form, status=400)
    data = form.cleaned_data
    labels = source.labels(record, data["count"])
    pdf = labels_render.labels_pdf(
        labels, labels_render.SIZES[data["size"]], go_url=go_url(request), start=data["start"] or 1
    )
    return pdf_response(pdf, f"{source.key(record)} {source.name} labels.pdf")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    answer = HttpResponse(pdf, content_type="application/pdf")
    answer["Content-Disposition"] = content_disposition_header(False, filename)
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
