"""SQL both databases share: the visible customers, the code lookups, ranking and grouping."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection

from .. import kinds

# A group counts its visible matches up to this many ("100+"): enough to tell a handful
# from a lot, and a common word never makes the database read all its matches.
COUNT_CAP = 100
# Entries read at most for one code or code prefix (a customer's whole tree).
CODE_CAP = 10_000
EXCERPT = 240  # characters of text shown under a hit, around the first match


class Row(NamedTuple):
    position: int
    total: int  # visible matches in this group, as far as counted
    more: bool  # whether counting stopped at a cap: `total` is a lower bound
    id: int
    kind: str
    code: str
    title: str
    excerpt: str
    url: str
    date: datetime.date | None
    parents: str


@dataclass
class Group:
    """One kind's hits as a full-text query found them, before they become Rows."""

    ids: list[int] = field(default_factory=list)  # entry ids, newest first
    count: int = 0  # hits counted, at most the cap
    more: bool = False  # there may be more than `count`: it is a lower bound

    def settle(self, cap: int, more: bool = False) -> None:
        """Newest first, at most `cap`; counted, with `more` when counting stopped early."""
        found = len(self.ids)
        self.ids = sorted(self.ids, reverse=True)[:cap]
        self.count, self.more = min(found, cap), more or found > cap


ROWS = """
SELECT e.id, e.kind, e.code, e.title, {excerpt}, e.url, e.date, e.parents
FROM search_entry e WHERE e.id IN ({ids})
"""


def select_rows(excerpt: tuple[str, list], ids: list[int]) -> list[tuple]:
    """The entries `ids` as `rows` shows them (ROWS), in no order."""
    with connection.cursor() as cursor:
        cursor.execute(ROWS.format(excerpt=excerpt[0], ids=placeholders(ids)), [*excerpt[1], *ids])
        return cursor.fetchall()


def rows(groups: dict[int, Group], limit: int, excerpt: tuple[str, list], select=select_rows):
    """The first `limit` hits of each group as Rows: groups in order, newest first
    (`select`: how the backend reads the entries, select_rows unless it knows better)."""
    wanted = {p: group.ids[:limit] for p, group in sorted(groups.items()) if group.ids}
    ids = [id_ for page in wanted.values() for id_ in page]
    if not ids:
        return []
    by_id = {row[0]: row for row in select(excerpt, ids)}
    return [
        Row(position, groups[position].count, groups[position].more, *by_id[id_][:6],
            _date(by_id[id_][6]), by_id[id_][7])
        for position, page in wanted.items()
        for id_ in page
    ]  # fmt: skip


def excerpt(
    find: str, term: str | None = None, text: str = "lower(e.text)", needle: str = "lower(%s)"
) -> tuple[str, list]:
    """SQL for the text shown under a hit: from a little before the first match of `term`.

    `find` is the database's substring-position function (`instr`, `strpos`), asked for
    `needle` (the term) in `text` (the entry's text), both lower-cased unless the backend
    knows a cheaper way.
    """
    if term is None:
        return f"substr(e.text, 1, {EXCERPT})", []
    at = f"{find}({text}, {needle})"
    sql = (
        f"CASE WHEN {at} > 60 THEN '…' || substr(e.text, {at} - 50, {EXCERPT})"
        f" ELSE substr(e.text, 1, {EXCERPT}) END"
    )
    return sql, [term, term]


class Visible(tuple):
    """The visible customers as the backends take them, the SQL and its parameters (a pair),
    and whose they are: `reader`, the user's id (PostgreSQL's kind indexes hold it)."""

    reader: int

    def __new__(cls, sql: str, params, reader: int):
        pair = super().__new__(cls, (sql, params))
        pair.reader = reader
        return pair


def visible_clause(visible, customer: str = "e.customer_id", position=None) -> str:
    """Only entries of visible customers (`customer`: the column, as the backend needs it);
    a branch of one staff-wide kind (`position`) needs no check."""
    return visible_filter(visible, customer, False, position)[0]


def visible_filter(
    visible, customer: str, inline: bool, position=None, row_by_row: str = ""
) -> tuple[str, list]:
    """`visible_clause`, or with `inline` the visible customers' query asked of each
    candidate's customer (an EXISTS the database narrows to that one customer): cheaper than
    listing every visible customer when the candidates are few (a code's tree; measured on
    1,000,000 entries, a tenth visible: 0.2 ms against 1.4 ms). The query names its ids `pk`
    (services.visible_customers). Without `position` (every kind at once), the entries of
    staff-wide kinds pass too. `row_by_row`: what keeps the backend's planner from listing
    every visible customer anyway (PostgreSQL hashes them when it expects many candidates)."""
    staff = kinds.staff_wide_positions()
    if visible is None or position in staff:
        return "", []
    if inline:
        sql, params = visible
        check = f"EXISTS (SELECT 1 FROM ({sql}) v WHERE v.pk = {customer}{row_by_row})"
    else:
        sql, params = "SELECT id FROM visible", []
        check = f"{customer} IN ({sql})"
    if position is None and staff:
        check = f"({check} OR e.position IN ({', '.join(str(int(p)) for p in sorted(staff))}))"
    return f"AND {check}", list(params)


def with_visible(visible) -> tuple[str, list]:
    """The `visible` CTE (computed once per query), or nothing for who sees everything."""
    if visible is None:
        return "", []
    sql, params = visible
    return f"visible (id) AS MATERIALIZED ({sql}), ", list(params)


def union(visible, branches: list[str]) -> tuple[str, list]:
    """The branches as one statement (UNION ALL) after the `visible` CTE they read, and the
    CTE's parameters (the branches' follow)."""
    cte, params = with_visible(visible)
    return (f"WITH {cte.removesuffix(', ')} " if cte else "") + " UNION ALL ".join(branches), params


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


RANKED = """
WITH {visible}hits AS ({hits}),
ranked AS (
    SELECT id, position,
           row_number() OVER (PARTITION BY position ORDER BY rank, id DESC) AS n,
           count(*) OVER (PARTITION BY position) AS total,
           count(*) OVER () AS overall
    FROM hits
)
SELECT r.position, r.total, r.overall,
       e.id, e.kind, e.code, e.title, {excerpt}, e.url, e.date, e.parents
FROM ranked r JOIN search_entry e ON e.id = r.id
WHERE r.n <= %s
ORDER BY r.position, r.n
"""

# Entries found under a code: their own, a parent's, or one their text mentions.
CODE_HITS = """
SELECT e.id, e.position, CASE WHEN e.code IN ({codes}) THEN 0 ELSE 1 END AS rank
FROM search_entry e
WHERE e.id IN (SELECT c.entry_id FROM search_entrycode c WHERE c.code IN ({codes}))
  {positions} {visible}
LIMIT %s
"""


def ranked(
    visible,
    hits: str,
    hit_params: list,
    excerpt: tuple[str, list],
    limit: int,
    group_cap: int | None = None,
    overall_cap: int = CODE_CAP,
    inline: bool = False,
    run=None,
) -> list[Row]:
    """Run `hits` (id, position, rank) and return the first `limit` of each group, as Rows.

    `hits` stops at `group_cap` per group or `overall_cap` in all: reaching one makes the
    counts lower bounds. With `inline`, `hits` filters the visible customers itself. `run`:
    how the backend runs the statement (sql, params) -> rows, a cursor's execute unless it
    knows better.
    """
    cte, cte_params = with_visible(None if inline else visible)
    sql = RANKED.format(visible=cte, hits=hits, excerpt=excerpt[0])
    rows = (run or _run)(sql, [*cte_params, *hit_params, *excerpt[1], limit])
    return [
        Row(
            position,
            total,
            total >= (group_cap or overall_cap) or overall >= overall_cap,
            *rest[:6],
            _date(rest[6]),
            rest[7],
        )
        for position, total, overall, *rest in rows
    ]


def _run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


# A code prefix, one kind at a time, in code order, on the (position, code) index.
PREFIX_BRANCH = """
SELECT * FROM (
    SELECT e.id, e.position, e.code{collate} AS rank
    FROM search_entry e
    WHERE e.position = %s AND ({ranges}) {visible}
    ORDER BY e.code{collate}
    LIMIT %s
) AS branch"""


def prefix_hits(prefixes, visible, limit, positions, excerpt, collate: str, customer: str):
    """Entries whose own code starts with one of `prefixes`, by kind, in code order.

    Codes compare byte by byte (`collate`), so a prefix is one range of the index. Its few
    hundred entries are each checked for their customer inline (see visible_filter): on
    1,000,000 entries, a tenth visible, SQLite p95 3.3 -> 2.4 ms against the visible list.
    """
    ranges, bounds = prefix_ranges(prefixes, collate)
    branches, params = [], []
    for position in positions or kinds.positions():
        seen, seen_params = visible_filter(visible, customer, True, position)
        branches.append(PREFIX_BRANCH.format(collate=collate, ranges=ranges, visible=seen))
        params += [position, *bounds, *seen_params, COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return ranked(visible, hits, params, excerpt, limit, group_cap=COUNT_CAP, inline=True)


def prefix_ranges(prefixes, collate: str) -> tuple[str, list]:
    """SQL that holds when the entry's own code starts with one of `prefixes`: one range of
    codes each, compared byte by byte (`collate`)."""
    ranges = " OR ".join([f"(e.code{collate} >= %s AND e.code{collate} < %s)"] * len(prefixes))
    return ranges, [bound for prefix in prefixes for bound in (prefix, _after(prefix))]


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def positions_clause(positions) -> tuple[str, list]:
    """Only the groups asked for (None: all)."""
    if positions is None:
        return "", []
    return f"AND e.position IN ({placeholders(positions)})", list(positions)


def code_hits(
    codes,
    visible,
    limit,
    positions,
    excerpt: tuple[str, list],
    customer: str,
    inline=False,
    run=None,
    row_by_row="",
):
    """Entries found under one of `codes` (spellings of one code), own code first."""
    where, where_params = positions_clause(positions)
    seen, seen_params = visible_filter(visible, customer, inline, row_by_row=row_by_row)
    hits = CODE_HITS.format(codes=placeholders(codes), positions=where, visible=seen)
    params = [*codes, *codes, *where_params, *seen_params, CODE_CAP]
    return ranked(visible, hits, params, excerpt, limit, inline=inline, run=run)
