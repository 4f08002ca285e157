from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import kinds
from .services import LIMIT, MAX_LIMIT, SUGGEST_LIMIT, search


@login_required
def results(request):
    """The results page: every group with its count; one kind at a time with ?kind=."""
    query = request.GET.get("q", "")
    kind = request.GET.get("kind") or None
    if kind not in kinds.names():
        kind = None
    found = search(request.user, query, limit=MAX_LIMIT if kind else LIMIT, kind=kind)
    return render(
        request,
        "search/results.html",
        {"query": found.query, "found": found, "kind": kind, "kind_label": kinds.label(kind or "")},
    )


@login_required
def suggest(request):
    """The drop-down under the header box, as the user types (htmx)."""
    found = search(request.user, request.GET.get("q", ""), limit=SUGGEST_LIMIT)
    return render(request, "search/suggest.html", {"query": found.query, "found": found})
