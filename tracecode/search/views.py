from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .services import search


@login_required
def results(request):
    query = request.GET.get("q", "")
    return render(
        request, "search/results.html", {"query": query, "groups": search(request.user, query)}
    )


@login_required
def suggest(request):
    """The drop-down under the header box, as the user types (htmx)."""
    query = request.GET.get("q", "")
    groups = search(request.user, query, limit=8) if len(query.strip()) >= 2 else {}
    return render(request, "search/suggest.html", {"query": query, "groups": groups})
