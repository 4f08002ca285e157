"""SQLite: FTS5 with the trigram tokenizer, a B-tree on codes, LIKE for 1–2 characters.

The FTS5 table (migrations 0002 and 0004) is contentless: it holds the trigram index only,
over code, title, text and the CJK grams (cjk.py), and rowid `(position << 40) + id`, so each
kind is one rowid range. A full-text query reads each kind's range newest first and stops at
the group's cap: a common word costs no more than a rare one, and a big kind (mails) never
crowds a small one (customers) out of the results.
"""

from django.db import connection

from .. import cjk, kinds
from . import common
from .common import COUNT_CAP, like_escape, visible_clause

BAND = 1 << 40
# The customer of an FTS5 hit, read from the (id, customer_id) index rather than the wide
# entry row: measured on 1,000,000 entries as a user seeing a tenth of them, full-text p95
# went from 15 ms to 10 ms.
HIT_VISIBLE = (
    "AND (SELECT v.customer_id FROM search_entry v INDEXED BY search_entry_visibility"
    " WHERE v.id = w.id) IN (SELECT id FROM visible)"
)
# Matches read newest first in one kind; a kind whose window held less than a page of hits the
# user may see is read on, for that page only. Each match read costs a lookup of its customer:
# this bounds the work of a common word (measured on 1,000,000 entries as a user seeing a
# tenth of them: one word p95 from 24 ms to 12 ms of CPU under the same load, with counts
# such as "27+" instead of "100+").
WINDOW = 250
# The unary + keeps SQLite from starting at the customer index (reading every entry of the
# user's customers) when a code index is the way in: a code prefix went from 840 ms to 2 ms
# on 1,000,000 entries.
CUSTOMER = "+e.customer_id"
# Words this long are asked of the index by the trigrams that tile them (_tiles).
TILED_FROM = 6

# One kind newest first: its newest `WINDOW` matches (the FTS5 index alone), numbered, then
# those the user may see, until `cap`; the match after the window comes back flagged
# `beyond`, so that a kind whose window ended says so.
TEXT_BRANCH = """
SELECT * FROM (
    SELECT w.id, %s AS position, w.n > %s AS beyond FROM (
        SELECT id, row_number() OVER () AS n FROM (
            SELECT f.rowid - %s AS id FROM search_entry_fts f
            WHERE search_entry_fts MATCH %s AND f.rowid BETWEEN %s AND %s
            ORDER BY f.rowid DESC
            LIMIT %s
        )
    ) w
    WHERE w.n > %s OR (true {visible} {short})
    LIMIT %s
)"""

# The rest of a kind whose window held less than a page: its older matches, newest first.
REST_BRANCH = """
SELECT * FROM (
    SELECT w.id, %s AS position, false AS beyond FROM (
        SELECT f.rowid - %s AS id FROM search_entry_fts f
        WHERE search_entry_fts MATCH %s AND f.rowid BETWEEN %s AND %s
        ORDER BY f.rowid DESC
    ) w
    WHERE true {visible} {short}
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
    the grams, other 1–2 characters checked with LIKE; each kind newest first."""
    long = [t for t in terms if len(t) >= 3]
    grams = [t for t in terms if len(t) < 3 and cjk.is_short(t)]
    short = [t for t in terms if len(t) < 3 and not cjk.is_short(t)]
    tiled = [t for t in long if _tiled(t)]
    match = " AND ".join(
        [_tiles(t) if t in tiled else _anywhere_but_grams(t) for t in long]
        + [f"grams : {_phrase(cjk.padded(t))}" for t in grams]
    )
    checked = short + tiled
    cap = max(limit, COUNT_CAP)
    groups = {position: common.Group() for position in _with_entries(positions)}
    if not groups:
        return []
    ended = _window(match, checked, visible, groups, cap)
    rest = {position: oldest for position, oldest in ended.items()
            if groups[position].count < limit}  # fmt: skip
    if rest:
        _rest(match, checked, visible, groups, rest, limit)
    return common.rows(groups, limit, excerpt(max(long or grams, key=len)))


# Which kinds have entries: a probe of the (position, id) index each. A kind without any still
# cost its branch's FTS5 query, each term's trigrams sought in the index: measured on
# 1,000,000 entries with 7 empty kinds of 18, two words 1.5–2.5 ms a query.
WITH_ENTRIES = """
SELECT p.column1 FROM (VALUES {values}) p
WHERE EXISTS (SELECT 1 FROM search_entry e WHERE e.position = p.column1)"""


def _with_entries(positions) -> list[int]:
    """Of `positions` (None: every kind), those that have entries, in order."""
    positions = list(positions or kinds.positions())  # never empty: "Other" is always one
    sql = WITH_ENTRIES.format(values=", ".join(["(%s)"] * len(positions)))
    with connection.cursor() as cursor:
        cursor.execute(sql, positions)
        found = {row[0] for row in cursor.fetchall()}
    return [position for position in positions if position in found]


def _checks(visible, checked, position: int) -> tuple[str, str, list]:
    """Who may see a match, and the terms it must hold that the index did not check exactly
    (short ones, tiled ones), as SQL on `w.id`: the user's matches only are read."""
    seen = HIT_VISIBLE if visible and position not in kinds.staff_wide_positions() else ""
    holds = ""
    if checked:
        likes = " AND ".join(["h LIKE %s ESCAPE '\\'"] * len(checked))
        holds = (
            f" AND (SELECT {likes} FROM (SELECT x.code || ' ' || x.title || ' ' || x.text AS h"
            " FROM search_entry x WHERE x.id = w.id))"
        )
    return seen, holds, [f"%{like_escape(term)}%" for term in checked]


def _window(match, short, visible, groups, cap) -> dict[int, int]:
    """Each kind's hits among its newest matches; returns the kinds whose window ended, with
    the rowid of the first match it left out."""
    branches, params = [], []
    for position in groups:
        low = position * BAND
        seen, holds, held = _checks(visible, short, position)
        branches.append(TEXT_BRANCH.format(visible=seen, short=holds))
        params += [position, WINDOW, low, match, low, low + BAND - 1, WINDOW + 1, WINDOW,
                   *held, cap + 1]  # fmt: skip
    ended = {}
    for id_, position, beyond in _run(visible, branches, params):
        if beyond:
            ended[position] = id_ + position * BAND
        else:
            groups[position].ids.append(id_)
    for position, group in groups.items():
        group.settle(cap, more=position in ended)
    return ended


def _rest(match, short, visible, groups, rest, limit) -> None:
    """Fill the page of the kinds in `rest` from their older matches."""
    branches, params = [], []
    for position, oldest in rest.items():
        low = position * BAND
        seen, holds, held = _checks(visible, short, position)
        branches.append(REST_BRANCH.format(visible=seen, short=holds))
        params += [position, low, match, low, oldest, *held, limit - groups[position].count + 1]
    for id_, position, _beyond in _run(visible, branches, params):
        groups[position].ids.append(id_)
    for position in rest:
        groups[position].settle(limit)


def _run(visible, branches, params) -> list[tuple]:
    sql, cte_params = common.union(visible, branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cte_params, *params])
        return cursor.fetchall()


def _anywhere_but_grams(term: str) -> str:
    """A 3+ character term in the code, title or text. Without a space it cannot be in the
    grams (at most two CJK characters each, padded with spaces), so it needs no column filter,
    which FTS5 checks on every position of every match (two words: 11% less time)."""
    if any(char.isspace() for char in term):
        return f"{{code title text}} : {_phrase(term)}"
    return _phrase(term)


def _tiled(term: str) -> bool:
    """Whether a term is found faster by its tiles than as a phrase: a word of TILED_FROM or
    more ASCII letters and digits, whose case LIKE folds as the index does."""
    return len(term) >= TILED_FROM and term.isascii() and term.isalnum()


def _tiles(term: str) -> str:
    """The trigrams that tile `term` (every third one, and the last), each anywhere: what
    every entry holding the term holds, asked without positions. FTS5 reads a phrase's every
    trigram with its positions; the tiles are a third of them, and LIKE then checks the term
    itself on the user's candidates only (`_checks`). Measured on 1,000,000 entries, two
    words of 6+ letters: the index's part of the query in half; the tiles of such words found
    no entry more than the words did, but those of five letters twice as many, hence
    TILED_FROM. (PostgreSQL's GIN indexes gained nothing from it: they hold who may read.)"""
    tiles = [term[i : i + 3] for i in range(0, len(term) - 2, 3)]
    if len(term) % 3:
        tiles.append(term[-3:])
    return " AND ".join(_phrase(tile) for tile in tiles)


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def short_hits(term, visible, limit, positions):
    """Entries of short-titled kinds whose title holds `term` or whose code starts with it."""
    pattern = like_escape(term)
    branches, params = [], []
    for position in positions:
        branches.append(SHORT_BRANCH.format(visible=visible_clause(visible, CUSTOMER, position)))
        params += [position, f"%{pattern}%", f"{pattern}%", COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return common.ranked(visible, hits, params, excerpt(term), limit, group_cap=COUNT_CAP)


def rebuild() -> None:
    """Fill the FTS5 table again from the entry table.

    For entries that were written before the FTS5 table existed (a database migrated past
    0002, e.g. a restored older backup): the triggers would "delete" trigrams that were never
    added, and a contentless FTS5 table cannot tell, so it would report itself malformed.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_entry_fts (search_entry_fts) VALUES ('delete-all')")
        cursor.execute(
            "INSERT INTO search_entry_fts (rowid, code, title, text, grams)"
            " SELECT (position << 40) + id, code, title, text, grams FROM search_entry"
        )


def optimize() -> None:
    """After a bulk load or a reindex: merge the FTS5 index's segments into one, and refresh
    the planner's statistics."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_entry_fts (search_entry_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE search_entry")
        cursor.execute("ANALYZE search_entrycode")
