"""PostgreSQL: newest first through a B-tree, the trigram and grams GIN indexes for what is rare.

A GIN index answers "which entries hold this?" all at once: for a word that a third of the
entries hold, pg_trgm builds a bitmap of 300,000 rows before the first one can be read
(60 ms on 1,000,000 entries), and the heap then rechecks them, the user's or not. So a
full-text query reads each kind newest first instead, through the (position, id) index that
also holds the entry's customer: the user's rows only, and each of those matched against the
terms until the group has its `COUNT_CAP` hits. A common word ends within a few hundred
rows. A kind whose newest `WINDOW` visible rows hold fewer than a page of hits holds the
terms rarely: the rest of that kind is read through the GIN indexes (pg_trgm for 3+
characters, the grams for 1–2 CJK characters), where rare means cheap.

Counts are what was found ("20+" when the window ended before the cap): a lower bound, never
more than the user may see.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from .. import cjk, kinds
from . import common
from .common import COUNT_CAP, EXCERPT, Row, like_escape

# The expressions the trigram and grams indexes hold, as a query on entry `e` writes them.
HAYSTACK = "({e}.code || ' ' || {e}.title || ' ' || {e}.text)"
GRAMS = "array_remove(string_to_array({e}.grams, ' '), '')"
CUSTOMER = "e.customer_id"
# Visible rows read newest first in one kind before its rarer rest goes to the GIN indexes.
WINDOW = 600

# Who may see an entry, as a hashed lookup in the visible customers (built once per query):
# written inside CASE so that the planner keeps it a filter of the index scan rather than
# a join that starts from the customers.
VISIBLE = "AND CASE WHEN e.customer_id IN (SELECT id FROM visible) THEN true END"

# One kind, newest first: its visible rows (the index holds id and customer: no heap read),
# each matched against the terms (one heap read) until `cap` hits; the row after the window
# comes back flagged `beyond`, so that a kind whose window ended says so.
NEWEST_BRANCH = """
(SELECT x.id, %s AS position, x.n > %s AS beyond FROM (
    SELECT e.id, row_number() OVER () AS n FROM (
        SELECT e.id FROM search_entry e
        WHERE e.position = %s {visible}
        ORDER BY e.position, e.id DESC
        LIMIT %s
    ) e
) v
CROSS JOIN LATERAL (
    SELECT x.id, v.n FROM search_entry x
    WHERE x.id = v.id AND (v.n > %s OR ({matches}))
    OFFSET 0
) x
LIMIT %s)"""

# The rest of one kind whose window ended, through its own GIN indexes (see KIND_INDEXES).
RARE_BRANCH = """
(SELECT e.id, e.position FROM search_entry e
 WHERE e.position = %s AND e.id <= %s AND ({indexed}) AND ({matches}) {visible}
 ORDER BY e.id DESC
 LIMIT %s)"""

# One trigram and one grams index per kind (partial: `WHERE position = …`), made for every
# kind the registry knows after each migrate (ensure_indexes). A word rare in one kind and
# common in another (a part name: in mails, never in contacts) costs what it costs in that
# kind: with one index for all kinds, "flange" built a bitmap of 545,000 entries (60 ms) to
# find that no contact holds it.
KIND_INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_entry_trgm_{position} ON search_entry"
    " USING gin ((code || ' ' || title || ' ' || text) gin_trgm_ops) WHERE position = {position}",
    "CREATE INDEX IF NOT EXISTS search_entry_grams_{position} ON search_entry"
    " USING gin ((array_remove(string_to_array(grams, ' '), ''))) WHERE position = {position}",
]
# Every index of KIND_INDEXES, by name.
KIND_INDEX_NAMES = (
    "SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'"
    " AND indexname ~ '^search_entry_(trgm|grams)_[0-9]+$'"
)

ROWS = """
SELECT e.id, e.kind, e.code, e.title, {excerpt}, e.url, e.date, e.parents
FROM search_entry e WHERE e.id IN ({ids})
"""

SHORT_BRANCH = """
SELECT * FROM (
    SELECT e.id, e.position, 0 AS rank
    FROM search_entry e
    WHERE e.position = %s AND (e.title {like} %s OR e.code ILIKE %s) {visible}
    ORDER BY e.id DESC
    LIMIT %s
) AS branch"""


def excerpt(term: str | None = None) -> tuple[str, list]:
    return common.excerpt("strpos", term)


def code_hits(codes, visible, limit, positions):
    return common.code_hits(codes, visible, limit, positions, excerpt(codes[0]), CUSTOMER)


def prefix_hits(prefixes, visible, limit, positions):
    # The (position, code COLLATE "C") index: byte order, whatever the database's collation.
    return common.prefix_hits(
        prefixes, visible, limit, positions, excerpt(), ' COLLATE "C"', CUSTOMER
    )


def text_hits(terms, visible, limit, positions):
    """Entries holding every term as a substring, in any case, newest first in each kind."""
    positions = positions or kinds.positions()
    cap = max(limit, COUNT_CAP)
    with _planned():
        groups, rest = _newest(terms, visible, positions, limit, cap)
        if rest:
            _rare(terms, visible, rest, cap, groups)
        return _rows(groups, limit, excerpt(max(terms, key=len)))


@dataclass
class _Group:
    ids: list[int] = field(default_factory=list)  # hits, newest first
    count: int = 0  # hits counted, at most the cap
    more: bool = False  # there may be more than `count`


def _newest(terms, visible, positions, limit, cap):
    """Each kind's newest hits within its window, and the kinds whose window held less than
    a page of them: {position: the newest id not read}."""
    cte, cte_params = common.with_visible(visible)
    matches, match_params = _matches(terms, "x")
    branches, params = [], []
    for position in positions:
        branches.append(NEWEST_BRANCH.format(visible=VISIBLE if visible else "", matches=matches))
        params += [position, WINDOW, position, WINDOW + 1, WINDOW, *match_params, cap + 1]
    sql = (f"WITH {cte.removesuffix(', ')} " if cte else "") + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cte_params, *params])
        rows = cursor.fetchall()
    groups = {position: _Group() for position in positions}
    ended = {}
    for id_, position, beyond in rows:
        if beyond:
            ended[position] = id_
        else:
            groups[position].ids.append(id_)
    rest = {}
    for position, group in groups.items():
        found = len(group.ids)
        group.ids = sorted(group.ids, reverse=True)[:cap]
        group.count, group.more = min(found, cap), found > cap or position in ended
        if position in ended and found < limit:
            rest[position] = ended[position]
    return groups, rest


def _rare(terms, visible, rest, cap, groups) -> None:
    """Add to the kinds in `rest` their hits older than their window, through the GIN indexes
    of each kind."""
    indexed, indexed_params = _indexed(terms)
    matches, match_params = _matches(terms, "e")
    cte, cte_params = common.with_visible(visible)
    branches, params = [], []
    for position, oldest in rest.items():
        branches.append(
            RARE_BRANCH.format(indexed=indexed, matches=matches, visible=VISIBLE if visible else "")
        )
        params += [position, oldest, *indexed_params, *match_params, cap + 1]
    sql = (f"WITH {cte.removesuffix(', ')} " if cte else "") + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cte_params, *params])
        rows = cursor.fetchall()
    for id_, position in rows:
        groups[position].ids.append(id_)
    for position in rest:
        group = groups[position]
        found = len(group.ids)
        group.ids = sorted(group.ids, reverse=True)[:cap]
        group.count, group.more = min(found, cap), found > cap


def _rows(groups, limit, shown) -> list[Row]:
    """The first `limit` hits of each group as Rows, groups in order, newest first."""
    wanted = {p: group.ids[:limit] for p, group in sorted(groups.items()) if group.ids}
    ids = [id_ for page in wanted.values() for id_ in page]
    if not ids:
        return []
    sql = ROWS.format(excerpt=shown[0], ids=common.placeholders(ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*shown[1], *ids])
        by_id = {row[0]: row for row in cursor.fetchall()}
    return [
        Row(position, groups[position].count, groups[position].more, *by_id[id_])
        for position, page in wanted.items()
        for id_ in page
    ]


def _matches(terms, e: str) -> tuple[str, list]:
    """SQL that holds when the entry `e` holds every term, as a substring in any case.

    ASCII terms compare in the C collation, where lower() folds ASCII letters only, without
    reading the text character by character: as exact for an ASCII term, and several times
    faster on Chinese text. Terms without case (Chinese) use plain LIKE.
    """
    haystack = HAYSTACK.format(e=e)
    parts, params = [], []
    for term in terms:
        pattern = f"%{like_escape(term)}%"
        if term.lower() == term.upper():
            parts.append(f"{haystack} LIKE %s")
        elif term.isascii():
            parts.append(f'{haystack} COLLATE "C" ILIKE %s')
        else:
            parts.append(f"{haystack} ILIKE %s")
        params.append(pattern)
    return " AND ".join(parts), params


def _indexed(terms) -> tuple[str, list]:
    """The conditions the GIN indexes answer: pg_trgm for 3+ characters, the grams for 1–2
    CJK characters (exact); other 1–2 characters only narrow what the others found."""
    parts, params = [], []
    for term in terms:
        if len(term) >= 3:
            parts.append(f"{HAYSTACK.format(e='e')} {_like(term)} %s")
            params.append(f"%{like_escape(term)}%")
        elif cjk.is_short(term):
            parts.append(f"{GRAMS.format(e='e')} @> ARRAY[%s]::text[]")
            params.append(term)
    return " AND ".join(parts) or "true", params


@contextmanager
def _planned():
    """A transaction in which the search's few small queries are planned as such: no JIT
    compilation (it cost tens of milliseconds on a plan whose estimate looked big) and no
    parallel workers."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def short_hits(term, visible, limit, positions):
    """Entries of short-titled kinds whose title holds `term` or whose code starts with it."""
    pattern = like_escape(term)
    branches, params = [], []
    for position in positions:
        branches.append(
            SHORT_BRANCH.format(like=_like(term), visible=common.visible_clause(visible))
        )
        params += [position, f"%{pattern}%", f"{pattern}%", COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return common.ranked(visible, hits, params, excerpt(term), limit, group_cap=COUNT_CAP)


def _like(term: str) -> str:
    """ILIKE where case matters; plain LIKE for text without case (Chinese): half the time."""
    return "LIKE" if term.lower() == term.upper() else "ILIKE"


def ensure_indexes(positions=None) -> None:
    """Make the trigram and grams indexes of each kind (of every searchable kind and "Other"
    when `positions` is None); existing ones stay. Run after every migrate (apps.py)."""
    with connection.cursor() as cursor:
        for position in sorted(set(positions or kinds.positions())):
            for statement in KIND_INDEXES:
                cursor.execute(statement.format(position=int(position)))


def drop_indexes() -> None:
    """Drop the indexes of every kind (before a bulk load; ensure_indexes makes them again)."""
    with connection.cursor() as cursor:
        cursor.execute(KIND_INDEX_NAMES)
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def optimize() -> None:
    """Refresh the planner's statistics (after a bulk load or a reindex)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entrycode")


__all__ = ["EXCERPT", "code_hits", "optimize", "prefix_hits", "short_hits", "text_hits"]
