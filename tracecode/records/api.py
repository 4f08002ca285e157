"""/api/everything/{code}: the Everything page as JSON, and its groups a page at a time."""

from ninja import Query, Router, Schema
from pydantic import Field

from . import tree as everything_tree

router = Router(tags=["everything"])
earlier = Router(tags=["everything"])  # /api/sales/everything/{code}, the earlier address


class PageParams(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(everything_tree.PAGE, ge=1, le=everything_tree.MAX_PAGE)


@router.get(
    "/{code}",
    summary="Everything about a number",
    description="The record a code names, the records above it, and every group below it "
    "(coded records with their own groups; files, mails, chat messages, documents, payments, "
    "log entries …), each with its first rows and its total.",
)
def everything(request, code: str) -> dict:
    return everything_tree.everything(code, request.user).as_dict()


@router.get("/{code}/{kind}", summary="One group of a number, a page at a time")
def group(request, code: str, kind: str, params: Query[PageParams]) -> dict:
    page = everything_tree.page(code, kind, request.user, offset=params.offset, limit=params.limit)
    return page.as_dict()


@earlier.get("/{code}", summary="Everything about a number (earlier address)", deprecated=True)
def everything_at_earlier_address(request, code: str) -> dict:
    return everything(request, code)
