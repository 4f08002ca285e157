"""Label sheets to print, and /go/<code>: what a scanned label or a scanner's keystrokes open."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from tracecode.codes import registry

from . import services


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


@login_required
def print_labels(request, source: str, key: str):
    """The print page: size, how many, where to start; the PDF opens beside it."""
    source, record = services.printing(source, key, request.user)
    return _page(request, source, record, services.form(source, record))


def _page(request, source, record, form, status=200):
    count = form.initial["count"]
    preview = source.labels(record, count)[:3]
    context = {
        "source": source,
        "key": source.key(record),
        "form": form,
        "preview": preview,
        "count": count,
        "code": preview[0].code if preview else "",
    }
    return render(request, "labels/print.html", context, status=status)


@login_required
def labels_pdf(request, source: str, key: str):
    """The label sheet as a PDF, opened in the browser to print; bad input: the page again."""
    source, record = services.printing(source, key, request.user)
    try:
        pdf = services.labels_pdf(source, record, request.GET, go_url=go_url(request))
    except ValidationError:
        return _page(request, source, record, services.form(source, record, request.GET), 400)
    return pdf_response(pdf, services.filename(source, record))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    answer = HttpResponse(pdf, content_type="application/pdf")
    answer["Content-Disposition"] = content_disposition_header(False, filename)
    return answer
