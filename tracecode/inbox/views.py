"""The watched folder's record, for administrators: every file taken, and where it went."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .models import InboxFile


@login_required
def inbox(request):
    """Every file the watched folder received, newest first; ?outcome= filters."""
    if not request.user.is_administrator:
        raise Http404
    items = InboxFile.objects.select_related("stored_file", "filed_as")
    outcome = request.GET.get("outcome", "")
    if outcome in InboxFile.Outcome.values:
        items = items.filter(outcome=outcome)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "outcome": outcome,
            "outcomes": InboxFile.Outcome.choices,
            "folder": settings.INBOX_DIR,
            "user_name": settings.INBOX_USER,
            "seconds": settings.INBOX_SECONDS,
            "quiet": settings.INBOX_QUIET_SECONDS,
        },
    )
