"""Everything about a number, as a page; its long groups a page at a time (htmx)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import tree as everything_tree


@login_required
def everything(request, code: str):
    """Everything about `code`: a customer, project, quotation, order, complaint … code."""
    tree = everything_tree.everything(code, request.user)
    if tree.focus.code != code:  # typed in another case or width: show the code as it is
        return redirect("records:everything", tree.focus.code)
    return render(request, "records/everything.html", {"tree": tree})


@login_required
def more(request, code: str, kind: str):
    """The next rows of one group of the Everything page."""
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        offset = 0
    group = everything_tree.page(code, kind, request.user, offset=offset)
    return render(request, "records/_group_rows.html", {"group": group})
