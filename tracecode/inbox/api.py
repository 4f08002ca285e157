"""The watched folder's record over HTTP, for administrators."""

import datetime

from django.http import Http404
from ninja import Router, Schema

from .models import InboxFile

router = Router(tags=["inbox"])


class InboxFileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    outcome: str
    problem: str
    reason: str
    code: str
    document_type: str
    stored_file: int | None
    moved_to: str
    handled_at: datetime.datetime

    @staticmethod
    def resolve_stored_file(obj) -> int | None:
        return obj.stored_file_id


@router.get("/", response=list[InboxFileOut], summary="Files the watched folder received")
def inbox_files(request, outcome: str = "", limit: int = 50, offset: int = 0):
    """Newest first; `outcome` = filed, duplicate or failed. Administrators only (404 else)."""
    if not request.user.is_administrator:
        raise Http404
    items = InboxFile.objects.all()
    if outcome:
        items = items.filter(outcome=outcome)
    offset, limit = max(offset, 0), min(max(limit, 1), 500)
    return list(items[offset : offset + limit])
