"""The watched folder's record over HTTP, for administrators."""

import datetime

from django.http import Http404
from ninja import Query, Router, Schema

from tracecode.core.api import PageIn, answers

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


@router.get(
    "/",
    response=answers(list[InboxFileOut], 404, 422),
    summary="Files the watched folder received",
)
def inbox_files(request, page: Query[PageIn], outcome: str = ""):
    """Newest first; `outcome` = filed, duplicate or failed. Administrators only (404 else)."""
    if not request.user.is_administrator:
        raise Http404
    items = InboxFile.objects.all()
    if outcome:
        items = items.filter(outcome=outcome)
    return list(items[page.offset : page.offset + page.limit])
