"""/api/search: the one-box search for programs, with the same results and permissions as
the results page (it calls the same function)."""

import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from tracecode.core.api import answers

from . import kinds
from .services import LIMIT, MAX_LIMIT, search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(description="A code, part of a code, a name, an email, a word …")
    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT, description="Hits per group at most")
    kind: str | None = Field(
        None, description="Only this kind: customer, project, quotation, order, document, …"
    )


class HitOut(Schema):
    kind: str
    code: str
    title: str
    text: str = Field(description="An excerpt of the text, around the first match")
    url: str
    date: datetime.date | None
    parents: list[str] = Field(description="The codes above it, root first")


class GroupOut(Schema):
    kind: str
    label: str
    count: int = Field(description="Matches you may see (a lower bound when `more`)")
    more: bool = Field(description="Counting stopped at a cap: there are more")
    hits: list[HitOut]


class SearchOut(Schema):
    query: str
    mode: str = Field(description="How the query was read: code, prefix, text or short")
    groups: list[GroupOut]


@router.get("", response=answers(SearchOut, 422), summary="Search everything you may see")
def search_everything(request, params: Query[SearchParams]):
    """Results grouped by kind (customers first), each with a link; never anything the
    caller may not see, not even in a count."""
    kind = params.kind if params.kind in kinds.names() else None
    return search(request.user, params.q, limit=params.limit, kind=kind).as_dict()
