"""/api/everything/{code}: the Everything page as JSON, and its groups a page at a time."""

import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from tracecode.core.api import answers

from . import tree as everything_tree

router = Router(tags=["everything"])
earlier = Router(tags=["everything"])  # /api/sales/everything/{code}, the earlier address


class PageParams(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(everything_tree.PAGE, ge=1, le=everything_tree.MAX_PAGE)


class EverythingLinkOut(Schema):
    label: str
    url: str


class EverythingRowOut(Schema):
    kind: str = Field(description="the registered kind: customer, order, mail, file …")
    code: str
    title: str
    url: str
    date: datetime.datetime | datetime.date | None
    state: str = Field(description="in the reader's language")
    state_key: str
    details: list[str]
    links: list[EverythingLinkOut]
    badge: str
    warning: str


class EverythingItemOut(EverythingRowOut):
    groups: list["EverythingGroupOut"] = Field(
        [], description="what is below a coded record: its own groups (empty for filed items)"
    )


class EverythingGroupOut(Schema):
    kind: str
    label: str
    under: str = Field(description="the code the group is below")
    total: int
    offset: int
    items: list[EverythingItemOut]
    more: bool = Field(description="more items than shown: ask /api/everything/{under}/{kind}")


EverythingItemOut.model_rebuild()


class EverythingOut(Schema):
    code: str = Field(description="the code as asked")
    found_as: str = Field(description="the kind of record the code names")
    above: list[EverythingRowOut] = Field(
        description="the records above it, root (the customer) first"
    )
    record: EverythingItemOut


@router.get(
    "/{code}",
    response=answers(EverythingOut, 404, 422),
    summary="Everything about a number",
    description="The record a code names, the records above it, and every group below it "
    "(coded records with their own groups; files, mails, chat messages, documents, payments, "
    "log entries …), each with its first rows and its total.",
)
def everything(request, code: str):
    return everything_tree.everything(code, request.user).as_dict()


@router.get(
    "/{code}/{kind}",
    response=answers(EverythingGroupOut, 404, 422),
    summary="One group of a number, a page at a time",
)
def group(request, code: str, kind: str, params: Query[PageParams]):
    return everything_tree.page(
        code, kind, request.user, offset=params.offset, limit=params.limit
    ).as_dict()


@earlier.get(
    "/{code}",
    response=answers(EverythingOut, 404, 422),
    summary="Everything about a number (earlier address)",
    deprecated=True,
)
def everything_at_earlier_address(request, code: str):
    return everything(request, code)
