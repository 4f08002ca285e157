"""SQLite: FTS5 with the trigram tokenizer, a B-tree on codes, LIKE for 1–2 characters.

The FTS5 table (migrations 0002 and 0004) is contentless: it holds the trigram index only,
over code, title, text and the CJK grams (cjk.py), and rowid `(position << 40) + id`, so each
kind is one rowid range. A full-text query reads each kind's range newest first and stops at
the group's cap: a common word costs no more than a rare one, and a big kind (mails) never
crowds a small one (customers) out of the results.
"""

from .. import cjk, kinds
from . import common
from .common import COUNT_CAP, like_escape, visible_clause

BAND = 1 << 40
# The customer of an FTS5 hit, read from the (id, customer_id) index rather than the wide
# entry row: measured on 1,000,000 entries as a user seeing a tenth of them, full-text p95
# went from 15 ms to 10 ms.
HIT_VISIBLE = (
    "AND (SELECT v.customer_id FROM search_entry v INDEXED BY search_entry_visibility"
    " WHERE v.id = {id}) IN (SELECT id FROM visible)"
)
ID = "(f.rowid - %s)"
# The unary + keeps SQLite from starting at the customer index (reading every entry of the
# user's customers) when a code index is the way in: a code prefix went from 840 ms to 2 ms
# on 1,000,000 entries.
CUSTOMER = "+e.customer_id"

TEXT_BRANCH = """
SELECT * FROM (
    SELECT {id} AS id, %s AS position, 0 AS rank
    FROM search_entry_fts f
    WHERE search_entry_fts MATCH %s AND f.rowid BETWEEN %s AND %s {visible} {short}
    ORDER BY f.rowid DESC
    LIMIT %s
)"""

SHORT_BRANCH = """
SELECT * FROM (
    SELECT e.id, e.position, 0 AS rank
    FROM search_entry e
    WHERE e.position = %s AND (e.title LIKE %s ESCAPE '\\' OR e.code LIKE %s ESCAPE '\\')
      {visible}
    ORDER BY e.id DESC
    LIMIT %s
)"""


def excerpt(term: str | None = None) -> tuple[str, list]:
    return common.excerpt("instr", term)


def code_hits(codes, visible, limit, positions):
    return common.code_hits(codes, visible, limit, positions, excerpt(codes[0]), CUSTOMER)


def prefix_hits(prefixes, visible, limit, positions):
    return common.prefix_hits(prefixes, visible, limit, positions, excerpt(), "", CUSTOMER)


def text_hits(terms, visible, limit, positions):
    """Entries holding every term: 3+ characters in the trigram index, 1–2 CJK characters in
    the grams, other 1–2 characters checked with LIKE."""
    long = [t for t in terms if len(t) >= 3]
    grams = [t for t in terms if len(t) < 3 and cjk.is_short(t)]
    short = [t for t in terms if len(t) < 3 and not cjk.is_short(t)]
    match = " AND ".join(
        [f"{{code title text}} : {_phrase(t)}" for t in long]
        + [f"grams : {_phrase(cjk.padded(t))}" for t in grams]
    )
    short_sql = "".join(
        f" AND (SELECT x.code || ' ' || x.title || ' ' || x.text FROM search_entry x"
        f" WHERE x.id = {ID}) LIKE %s ESCAPE '\\'"
        for _ in short
    )
    branches, params = [], []
    for position in positions or kinds.positions():
        low = position * BAND
        branches.append(
            TEXT_BRANCH.format(
                id=ID, visible=HIT_VISIBLE.format(id=ID) if visible else "", short=short_sql
            )
        )
        params += [low, position, match, low, low + BAND - 1]
        params += [low] if visible else []
        params += [value for term in short for value in (low, f"%{like_escape(term)}%")]
        params.append(COUNT_CAP)
    hits = " UNION ALL ".join(branches)
    shown = max(long or grams, key=len)
    return common.ranked(visible, hits, params, excerpt(shown), limit, group_cap=COUNT_CAP)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def short_hits(term, visible, limit, positions):
    """Entries of short-titled kinds whose title holds `term` or whose code starts with it."""
    pattern = like_escape(term)
    branches, params = [], []
    for position in positions:
        branches.append(SHORT_BRANCH.format(visible=visible_clause(visible, CUSTOMER)))
        params += [position, f"%{pattern}%", f"{pattern}%", COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return common.ranked(visible, hits, params, excerpt(term), limit, group_cap=COUNT_CAP)


def optimize() -> None:
    """After a bulk load or a reindex: merge the FTS5 index's segments into one, and refresh
    the planner's statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_entry_fts (search_entry_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entrycode")
