"""The one search behind the header box, the results page, the API, the CLI and the benchmark.

What a query is understood as:

- a code of the schemes in force (`RK1038`, `RK1038-1`, `RK1038-1-S1`, any case): the record
  itself first, then everything filed under it (its projects, orders, documents, files,
  mails), then what mentions it in its text;
- a code prefix (`RK1038-`, `RK12`): the entries whose own code starts so;
- anything else of 3+ characters (`1038-1`, `SP1003`, `Nordwerk`, `不锈钢`, an email, a file
  name), and Chinese, Japanese or Korean of any length (`法兰`, `王`, `不锈钢 法兰`,
  `法兰 RK1038`): full text, every word must appear (as a substring; "quoted words" as a
  phrase); 1–2 CJK characters are found through the entries' grams (see cjk.py);
- other 1–2 character queries (`RK`, `M8`): codes that start so and names of customers,
  projects and contacts that hold them (the trigram index needs 3 characters).

Codes match in any letter case, and what an input method types is folded first: `ＲＫ１０３８`
and `rk1038` find RK1038.

Whatever the query, only what the user may see is read: the visible customers filter inside
the database query, before any limit or count, so neither results nor counts tell anything
about the rest.
"""

import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from tracecode.codes import core, registry
from tracecode.codes.services import schemes_to_check_against

from . import backends, cjk, kinds
from .backends.common import EXCERPT, Visible
from .highlight import excerpt, highlight, pattern

LIMIT = 20  # hits per group on the results page and in the API
SUGGEST_LIMIT = 3  # hits per group in the drop-down
MAX_LIMIT = 100
MAX_QUERY = 200  # characters

TERM = re.compile(r'"([^"]+)"|(\S+)')
# One token of letters, digits and code separators, with a digit: a code or a code prefix.
CODE_LIKE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9.\-/_]{0,39}$")


@dataclass
class Hit:
    kind: str
    code: str
    title: str
    text: str  # an excerpt, around the first match
    url: str
    date: object
    parents: list[str]
    marks: re.Pattern | None = field(default=None, repr=False)

    @property
    def title_html(self) -> SafeString:
        return highlight(self.title, self.marks)

    @property
    def text_html(self) -> SafeString:
        return highlight(self.text, self.marks)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "date": self.date,
            "parents": self.parents,
        }


@dataclass
class Group:
    kind: str
    label: str
    count: int  # visible matches; a lower bound when `more`
    more: bool
    hits: list[Hit]

    @property
    def count_text(self) -> str:
        return f"{self.count}+" if self.more else str(self.count)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": str(self.label),
            "count": self.count,
            "more": self.more,
            "hits": [hit.as_dict() for hit in self.hits],
        }


@dataclass
class Results:
    query: str
    mode: str  # "code", "prefix", "text", "short", or "" (nothing asked)
    groups: list[Group] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    def as_dict(self) -> dict:
        return {
            "query": self.query,
            "mode": self.mode,
            "groups": [group.as_dict() for group in self.groups],
        }


def search(user, query: str, limit: int = LIMIT, kind: str | None = None) -> Results:
    """What `user` may see that matches `query`, grouped by kind, at most `limit` per group."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    limit = max(1, min(limit, MAX_LIMIT))
    if not query or user is None or not user.is_authenticated or not user.is_active:
        return Results(query, "")
    visible = visible_customers(user)
    positions = [kinds.position(kind)] if kind else None
    backend = backends.current()
    terms = [typed(quoted or word) for quoted, word in TERM.findall(query)]
    rows, mode, marks = [], "", terms
    if len(terms) == 1 and CODE_LIKE.match(terms[0]):
        spellings = registry.spellings(terms[0])
        if is_code(spellings):
            rows, mode = backend.code_hits(spellings, visible, limit, positions), "code"
        if not rows:
            rows, mode = backend.prefix_hits(spellings, visible, limit, positions), "prefix"
    if not rows and any(len(term) >= 3 or cjk.is_short(term) for term in terms):
        rows, mode = backend.text_hits(terms, visible, limit, positions), "text"
    elif not rows:
        short = kinds.short_query_positions()
        chosen = [p for p in short if positions is None or p in positions]
        rows, mode, marks = backend.short_hits(query, visible, limit, chosen), "short", [query]
    return Results(query, mode, _groups(rows, pattern(marks)))


def typed(term: str) -> str:
    """A term as meant: full-width letters and digits of an input method (ＲＫ１０３８,
    ＳＰ１００３) become the ASCII they stand for; anything else stays as typed."""
    folded = registry.normalise(term)
    return folded if folded.isascii() and folded else term


def visible_customers(user):
    """None when `user` sees every customer, else the SQL and parameters of the visible ids
    (with the user's id, see common.Visible)."""
    if user.sees_everything:
        return None
    key = (user.pk, user.is_active)
    found = _visible_sql.get(key)
    if found is None:
        if len(_visible_sql) >= VISIBLE_SQL_KEPT:
            _visible_sql.clear()
        queryset = registry.kind(registry.ROOT).model.objects.visible_ids(user)
        found = _visible_sql[key] = queryset.query.sql_with_params()
    return Visible(*found, reader=user.pk)


# The visible customers' query of each user as the ORM compiled it (0.5 ms a search): a query,
# not its result, so it never goes stale; it is the same for every user but for their id.
_visible_sql: dict[tuple, tuple] = {}
VISIBLE_SQL_KEPT = 1000


def is_code(spellings: list[str]) -> bool:
    """Whether one of `spellings` is a code of the schemes in force."""
    known = schemes_to_check_against()
    for spelling in spellings:
        try:
            known.parse(spelling)
        except core.ParseError:
            continue
        return True
    return False


def _groups(rows, marks) -> list[Group]:
    groups: dict[int, Group] = {}
    shown_title = kinds.titles()
    for row in rows:
        group = groups.get(row.position)
        if group is None:
            kind = row.kind if row.position != kinds.OTHER else "other"
            group = groups[row.position] = Group(kind, kinds.label(kind), row.total, row.more, [])
        group.hits.append(
            Hit(
                kind=row.kind,
                code=row.code,
                title=shown_title(row.kind, row.title),
                text=excerpt(row.excerpt or "", EXCERPT),
                url=row.url,
                date=row.date,
                parents=row.parents.split(),
                marks=marks,
            )
        )
    return list(groups.values())
