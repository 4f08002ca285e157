"""PostgreSQL: pg_trgm over code, title and text; a (position, code) B-tree in byte order.

The trigram GIN index (migration 0002) answers substring queries of 3+ characters, Chinese
included, with the same meaning as SQLite's FTS5 trigram table. One query reads the first
`TEXT_CAP` visible matches, then ranks and groups them; when the cap is reached, the counts
say "at least".
"""

from django.db import connection

from . import common
from .common import like_escape, visible_clause

HAYSTACK = "(e.code || ' ' || e.title || ' ' || e.text)"  # the indexed expression, verbatim
TEXT_CAP = 1000
CUSTOMER = "e.customer_id"

# OFFSET 0 keeps the trigram index the way in. Left to itself the planner sometimes started
# from the user's customers and ran one trigram index scan per customer: on 1,000,000
# entries three Chinese characters took up to 1.3 s (p95 610 ms); fenced, p95 55 ms.
TEXT_HITS = """
SELECT e.id, e.position, 0 AS rank
FROM (SELECT e.id, e.position, e.customer_id FROM search_entry e
      WHERE {matches} {positions} OFFSET 0) AS e
WHERE true {visible}
LIMIT %s
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
    """Entries holding every term as a substring, in any case."""
    matches = " AND ".join(f"{HAYSTACK} {_like(t)} %s" for t in terms)
    where, where_params = common.positions_clause(positions)
    hits = TEXT_HITS.format(matches=matches, positions=where, visible=visible_clause(visible))
    params = [*(f"%{like_escape(t)}%" for t in terms), *where_params, TEXT_CAP]
    longest = max(terms, key=len)
    return common.ranked(visible, hits, params, excerpt(longest), limit, overall_cap=TEXT_CAP)


def short_hits(term, visible, limit, positions):
    """Entries of short-titled kinds whose title holds `term` or whose code starts with it."""
    pattern = like_escape(term)
    branches, params = [], []
    for position in positions:
        branches.append(SHORT_BRANCH.format(like=_like(term), visible=visible_clause(visible)))
        params += [position, f"%{pattern}%", f"{pattern}%", common.COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return common.ranked(visible, hits, params, excerpt(term), limit, group_cap=common.COUNT_CAP)


def _like(term: str) -> str:
    """ILIKE where case matters; plain LIKE for text without case (Chinese): half the time."""
    return "LIKE" if term.lower() == term.upper() else "ILIKE"


def rebuild() -> None:
    """Nothing to do: the trigram index is PostgreSQL's own and always in step."""


def optimize() -> None:
    """Refresh the planner's statistics (after a bulk load or a reindex)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entrycode")
