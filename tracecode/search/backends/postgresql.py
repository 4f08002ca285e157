"""PostgreSQL: one GIN index per kind over who may read an entry, its trigrams and its grams.

A GIN index answers "which entries hold this?" all at once: for a word that a third of the
entries hold, pg_trgm built a bitmap of 300,000 rows before the first one could be read
(60 ms on 1,000,000 entries), and the heap then rechecked them, the user's or not. So each
kind's index holds who may read an entry in its slice of ids (`search_keys`, from `readers`,
kept by the triggers of migration 0006): a sales user's query asks for their own rows among
the newest slices, and GIN's intersection of the posting lists hands over only their matches
there, newest first (`_read_by_readers`). Measured on 1,000,000 entries as a sales user who
sees a tenth, one core, p95: one word 96 → 26 ms, two words 114 → 34 ms, three Chinese
characters 90 → 21 ms, two 84 → 20 ms, a chat message's words 46 → 14 ms (with the reader
and the slice as two keys and pg_trgm's index, before migration 0007).

The text's trigrams are an array of hashes (`search_trigrams`, migration 0007) rather than
pg_trgm's operator class: an array's containment needs no recheck, where pg_trgm rechecked
its LIKE conditions on every row it returned (four case-insensitive matches of the whole text
a row for two words). Each term is then checked once on the rows the index returns.

Who sees everything reads each kind newest first instead, through the (position, id) index:
each row matched against the terms until the group has its `COUNT_CAP` hits. A kind whose
newest `WINDOW` rows hold fewer than a page of hits holds the terms rarely: the rest of that
kind is read through its GIN index (pg_trgm for 3+ characters, the grams for 1–2 CJK
characters), where rare means cheap.

Counts are what was found ("20+" when reading ended before the cap): a lower bound, never
more than the user may see.
"""

import math
from contextlib import contextmanager

import psycopg
from django.db import connection, transaction

from .. import cjk, kinds
from . import common
from .common import COUNT_CAP, EXCERPT, like_escape

# The expressions the trigram and grams indexes hold, as a query on entry `e` writes them.
HAYSTACK = "({e}.code || ' ' || {e}.title || ' ' || {e}.text)"
GRAMS = "array_remove(string_to_array({e}.grams, ' '), '')"
CUSTOMER = "e.customer_id"
# Visible rows read newest first in each kind; a kind with less than a page of hits among
# them reads on or asks its GIN indexes (_plan_rest), reading on at most FURTHER_MAX rows.
WINDOW = 200
FURTHER_MAX = 3000
NEWEST = 2**62  # above every entry id
# Words this long are asked of the trigram index by their first and last trigrams
# (_asked).
ENDS_FROM = 5
# The connection's threshold for preparing a statement run that often without being asked:
# never, in effect (_prepared asks).
PREPARE_ONLY_WHEN_ASKED = 1_000_000

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
        WHERE e.position = %s AND e.id <= %s {visible}
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
 WHERE e.position = %s AND e.id <= %s AND {conditions} {visible}
 ORDER BY e.id DESC
 LIMIT %s)"""

# One GIN index per kind (partial: `WHERE position = …`), made for every kind the registry
# knows after each migrate (ensure_indexes), over who may read an entry in which slice
# (KEYS), its text's trigrams (TRIGRAMS) and its grams: one scan intersects all a query
# asks. A word rare in one kind and common in another (a part name: in mails, never in
# contacts) costs what it costs in that kind: with one index for all kinds, "flange" built a
# bitmap of 545,000 entries (60 ms) to find that no contact holds it.
KIND_INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_entry_find_{position} ON search_entry USING gin"
    " (search_keys(readers, id),"
    " search_trigrams(code || ' ' || title || ' ' || text),"
    " (array_remove(string_to_array(grams, ' '), '')))"
    " WHERE position = {position}",
]
# Every index of KIND_INDEXES (and of the kinds' indexes before migration 0007), by name.
KIND_INDEX_NAMES = (
    "SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'"
    " AND indexname ~ '^search_entry_(find|text)_[0-9]+$'"
)
# The functions KIND_INDEXES use (migration 0007).
FUNCTIONS = "SELECT to_regprocedure('search_trigrams(text)') IS NOT NULL"

# Who may read an entry where (search_keys, migration 0007): for each of its readers (its
# customer's owner and whom it is shared with, kept by the triggers of migration 0006; 0 for
# an entry without any), the reader, the reader in the entry's slice (the 4,096 ids it is
# among) and the reader in its block of 16 slices. `@> ARRAY[user]` hands over that user's
# entries; `&& ARRAY[user in a slice, …]` only those among the newest slices, in a posting
# list of their own: measured on 1,000,000 entries, two words, the server's time for a
# sales user's two statements 17 → 9 ms a query against the reader and the slice as two keys
# (whose intersection walked every row of the slices and every row of the user).
KEYS = "search_keys(e.readers, e.id)"
SLICE_BITS, BLOCK = 12, 16  # a slice: 4,096 ids; a block: 16 slices
READER_KEYS = 1 << 25  # a reader's slices and blocks: one range of keys per reader
BLOCK_KEYS = 1 << 24  # a reader's blocks, after its slices (ids below 2**36)
# The text's trigrams: the hashes of every three characters of its lower-cased words.
TRIGRAMS = f"search_trigrams{HAYSTACK.format(e='e')}"
# Rows of a kind (everyone's) in the newest slices a sales user's query reads first: a
# common word's every match there is read (a bitmap), a rare one's kind reads on in the
# second statement. Measured at 1,000,000 entries, p50/p95 one word, two words, with the
# statements prepared: 1,500 rows 14.5/20.3, 17.5/24.9 ms; 2,500 13.2/17.3, 17.2/23.3;
# 4,000 13.6/18.4, 18.5/23.6 (before they were prepared, 1,000 37/55 one word, 4,000 21/26).
# With each reader's slices as keys of their own (migration 0007) a slice more costs less:
# two words p95 2,500 rows 28.3/33.2 ms, 5,000 23.1/23.7, 7,000 27.3/24.0 (two runs each).
FIRST_ROWS = 5000
# Each kind that has entries (an index probe each), its rows as the planner's statistics
# know them (its index's size), the newest entry's id, and the trigrams the kinds' indexes
# are asked for (_asked): computed once for the search, not once in each kind's branch (the
# SQL function is set up anew at each call: 0.05 ms).
SIZES = """
SELECT p, (SELECT reltuples FROM pg_class WHERE relname = 'search_entry_find_' || p),
       (SELECT max(id) FROM search_entry), (SELECT search_trigrams(%s))
FROM unnest(%s::integer[]) p
WHERE EXISTS (SELECT 1 FROM search_entry WHERE position = p)"""
# One kind: a sales user's rows among some slices (or older than a given id), through the
# kind's GIN index, newest first.
READER_BRANCH = """
(SELECT e.id, e.position, e.customer_id FROM search_entry e
 WHERE e.position = {position} AND {within} AND {conditions}
 ORDER BY e.id DESC
 LIMIT %s)"""
# One kind, step by step (each a row of the array of slice keys, newest first), until the
# limit: a scan of the kind's GIN index per step, and no step read after the last needed.
STEPS_BRANCH = """
(SELECT x.id, x.position, x.customer_id FROM generate_subscripts(%s::bigint[], 1) AS step
 CROSS JOIN LATERAL (
    SELECT e.id, e.position, e.customer_id FROM search_entry e
    WHERE e.position = {position} AND {within} AND {conditions}
    ORDER BY e.id DESC
 ) x
 LIMIT %s)"""
# The kinds' branches of a sales user's statement, and who may see what they found
# (common.visible_clause): the visible customers hashed once for the statement, not once in
# each kind's branch (a hash of the visible customers a branch: 1–2 ms a query). `OFFSET 0`
# keeps the check out of the branches, where the planner would push it.
READERS_STATEMENT = """
SELECT e.id, e.position FROM (SELECT * FROM ({branches}) AS found OFFSET 0) AS e
WHERE true {visible}"""

SHORT_BRANCH = """
SELECT * FROM (
    SELECT e.id, e.position, 0 AS rank
    FROM search_entry e
    WHERE e.position = %s AND (e.title {like} %s OR e.code ILIKE %s) {visible}
    ORDER BY e.id DESC
    LIMIT %s
) AS branch"""


def _visible(visible, position: int) -> str:
    """VISIBLE, unless the branch reads a staff-wide kind (or the user sees everything)."""
    return VISIBLE if visible and position not in kinds.staff_wide_positions() else ""


def excerpt(term: str | None = None) -> tuple[str, list]:
    """common.excerpt; an ASCII term is found in the text lower-cased in the C collation
    (ASCII letters only, byte by byte), a term without case (Chinese) in the text as it is:
    the excerpts of 200 rows 0.9 -> 0.7 ms on the server."""
    if term is None or not (term.isascii() or _caseless(term)):
        return common.excerpt("strpos", term)
    text = 'lower(e.text COLLATE "C")' if term.isascii() else "e.text"
    return common.excerpt("strpos", term.lower(), text=text, needle="%s")


# A code's tree is a few hundred entries: checking each one's customer (inline) costs less
# than listing every visible customer first (server CPU for one code, 1,000,000 entries, a
# tenth visible: 3.3 ms with the list, 1.5 ms checking each). Its statement is prepared
# (_prepared): planning it cost 1.4 ms, as much as running it. Its generic plan expects
# thousands of candidates (a prefix's range: 2,500) and would list every visible customer
# anyway; `OFFSET 0` in the EXISTS keeps it checking each (a prefix's statement 1.9 -> 1.4 ms,
# client time, a mean of 200).
def code_hits(codes, visible, limit, positions):
    return common.code_hits(
        codes, visible, limit, positions, excerpt(codes[0]), CUSTOMER,
        inline=True, run=_prepared, row_by_row=ROW_BY_ROW,
    )  # fmt: skip


ROW_BY_ROW = " OFFSET 0"


# A code prefix (`RK1038-`) is one range of the code index (migration 0005: byte order,
# whatever the database's collation; it holds the customer and kind), every kind at once, each
# entry's customer checked inline as for a code. Measured on 1,000,000 entries as a sales user
# seeing a tenth: one range per kind cost 1.5 ms to plan and 5 ms to run (each kind hashing
# the visible customers); this one 0.4 ms and 0.6 ms.
PREFIX_HITS = """
SELECT e.id, e.position, e.code COLLATE "C" AS rank
FROM search_entry e
WHERE ({ranges}) {positions} {visible}
ORDER BY e.code COLLATE "C"
LIMIT %s
"""


def prefix_hits(prefixes, visible, limit, positions):
    ranges, bounds = common.prefix_ranges(prefixes, ' COLLATE "C"')
    where, where_params = common.positions_clause(positions)
    seen, seen_params = common.visible_filter(visible, CUSTOMER, True, row_by_row=ROW_BY_ROW)
    hits = PREFIX_HITS.format(ranges=ranges, positions=where, visible=seen)
    params = [*bounds, *where_params, *seen_params, common.CODE_CAP]
    return common.ranked(visible, hits, params, excerpt(), limit, inline=True, run=_prepared)


def text_hits(terms, visible, limit, positions):
    """Entries holding every term as a substring, in any case, newest first in each kind."""
    cap = max(limit, COUNT_CAP)
    groups = {position: common.Group() for position in positions or kinds.positions()}
    reader = getattr(visible, "reader", None)
    with _planned():
        if reader is not None:
            _read_by_readers(terms, visible, reader, limit, cap, groups)
            return common.rows(groups, limit, excerpt(max(terms, key=len)), _select_rows)
        short = _newest(terms, visible, {p: (NEWEST, WINDOW) for p in groups}, cap, groups)
        short = {p: read for p, read in short.items() if groups[p].count < limit}
        further, rare, trigrams = _plan_rest(short, groups, limit, terms)
        if further:
            ended = _newest(terms, visible, further, cap, groups)
            rare |= {p: read[0] for p, read in ended.items() if groups[p].count < limit}
        if rare:
            _rare(terms, trigrams, visible, rare, cap, groups)
        return common.rows(groups, limit, excerpt(max(terms, key=len)), _select_rows)


def _newest(terms, visible, reading, cap, groups) -> dict[int, tuple[int, int, int]]:
    """Add to each kind in `reading` ({position: (newest id to read, rows to read)}) its hits
    among that many visible rows, newest first; returns the kinds whose window ended before
    `cap` hits: {position: (the first id not read, rows read, hits among them)}."""
    matches, match_params = _matches(terms, "x")
    branches, params = [], []
    for position, (newest, window) in reading.items():
        seen = _visible(visible, position)
        branches.append(NEWEST_BRANCH.format(visible=seen, matches=matches))
        params += [position, window, position, newest, window + 1, window, *match_params, cap + 1]
    sql, cte_params = common.union(visible, branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cte_params, *params])
        rows = cursor.fetchall()
    ended, hits = {}, dict.fromkeys(reading, 0)
    for id_, position, beyond in rows:
        if beyond:
            ended[position] = id_
        else:
            groups[position].ids.append(id_)
            hits[position] += 1
    for position in reading:
        groups[position].settle(cap, more=position in ended)
    return {p: (oldest, reading[p][1], hits[p]) for p, oldest in ended.items()}


def _read_by_readers(terms, visible, reader, limit, cap, groups) -> None:
    """A sales user's hits, through the kinds' GIN indexes that hold who may read an entry.

    Each kind reads its newest slices holding about `FIRST_ROWS` of its rows (everyone's):
    the index hands over only the user's matches there, so a common word costs its hits,
    not the rows around them. A kind with less than a page of hits reads on, in a second
    statement: with none, all the rest at once (rare: cheap); else newest first, in steps
    of twice as many slices each, the first as many as its hits so far say a page needs,
    until it has a page.
    """
    sizes, newest, trigrams = _sizes(groups, terms)
    top = newest >> SLICE_BITS
    first = {}
    for position in sizes:  # a kind without entries is not asked (a branch costs planning)
        per_slice = (sizes[position] * (1 << SLICE_BITS)) / max(newest, 1)
        slices = math.ceil(FIRST_ROWS / per_slice) if per_slice >= 1 else top + 1
        first[position] = ([(max(0, top - slices + 1), top)], cap + 1)
    if first:
        _by_readers(terms, trigrams, reader, first, groups, visible)
    oldest = dict.fromkeys(groups, 0) | {p: steps[0][0] for p, (steps, _) in first.items()}
    more = {p for p in first if oldest[p] > 0}
    second = {}
    for position in more:
        found = len(groups[position].ids)
        if found >= limit:
            continue
        if not found:
            second[position] = ([(0, oldest[position] - 1)], cap + 1)
            continue
        read = top - oldest[position] + 1
        size = math.ceil((limit - found) * read * 1.25 / found)
        steps, high = [], oldest[position] - 1
        while high >= 0:
            steps.append((max(0, high - size + 1), high))
            high, size = high - size, size * 2
        second[position] = (steps, limit - found)
    if second:
        returned = _by_readers(terms, trigrams, reader, second, groups, visible)
        more -= {p for p, (_steps, most) in second.items() if returned[p] < most}
    for position, group in groups.items():
        group.settle(cap, more=position in more)


def _slice_keys(low: int, high: int, reader: int) -> list[int]:
    """The KEYS of `reader` in the slices `low` to `high` (as search_keys writes them): whole
    blocks as one key each (a scan costs about as much per key as per row)."""
    keys, slice_, base = [], high, reader * READER_KEYS
    while slice_ >= low:
        if slice_ % BLOCK == BLOCK - 1 and slice_ - BLOCK + 1 >= low:
            keys.append(-(base + BLOCK_KEYS + slice_ // BLOCK) - 1)
            slice_ -= BLOCK
        else:
            keys.append(-(base + slice_) - 1)
            slice_ -= 1
    return keys


def _array(values: list) -> str:
    """A list of integers (or of lists of them) as PostgreSQL's array literal, for a
    `%s::bigint[]`: the driver's own conversion checks every element (a sales user's common
    word passes some 1,500 slice keys: 0.6 ms of the query's client time)."""
    if values and isinstance(values[0], list):
        return "{" + ",".join(_array(row) for row in values) + "}"
    return "{" + ",".join(str(int(value)) for value in values) + "}"


def _sizes(groups, terms=()) -> tuple[dict[int, float], int, list[int]]:
    """The kinds that have entries with their rows (as the planner's statistics know them),
    the newest entry's id, and the trigrams the kinds' indexes are asked for `terms`."""
    if not groups:
        return {}, 0, []
    rows = _prepared(SIZES, [_asked(terms), _array(list(groups))])
    if not rows:
        return {}, 0, []
    sizes = {position: size or 0 for position, size, _newest, _trigrams in rows}
    return sizes, rows[0][2], rows[0][3] or []


def _by_readers(terms, trigrams, reader, reading, groups, visible) -> dict[int, int]:
    """Add to each kind in `reading` ({position: (steps, most)}) the user's hits, newest
    first, at most `most`: `steps` are ranges of slices (oldest, newest), read newest first
    until then. Returns how many each kind got."""
    conditions, condition_params = _rare_conditions(terms, trigrams)
    staff = kinds.staff_wide_positions()
    branches, params = [], []
    for position, (steps, most) in reading.items():
        # Entries of a staff-wide kind have no reader: 0 in search_keys.
        who = 0 if position in staff else reader
        (low, high), *_others = steps
        if len(steps) > 1:
            within, within_params = f"{KEYS} && (%s::bigint[])[step:step]", []
            keys = [_slice_keys(low, high, who) for low, high in steps]
            width = max(map(len, keys))
            keys = _array([row + row[:1] * (width - len(row)) for row in keys])  # a rectangle
            branch, params = STEPS_BRANCH, [*params, keys]
            within_params.append(keys)
        elif low == 0 and high >= 4 * BLOCK:  # all the rest: the user's rows, by id
            within = f"{KEYS} @> ARRAY[%s]::bigint[] AND e.id < %s"
            within_params = [who, (high + 1) << SLICE_BITS]
            branch = READER_BRANCH
        else:
            within, within_params = f"{KEYS} && %s::bigint[]", [_array(_slice_keys(low, high, who))]
            branch = READER_BRANCH
        branches.append(branch.format(position=int(position), within=within, conditions=conditions))
        params += [*within_params, *condition_params, most]
    found = READERS_STATEMENT.format(
        branches=" UNION ALL ".join(branches), visible=common.visible_clause(visible)
    )
    sql, cte_params = common.union(visible, [found])
    returned = dict.fromkeys(reading, 0)
    for id_, position in _prepared(sql, [*cte_params, *params]):
        groups[position].ids.append(id_)
        returned[position] += 1
    return returned


# The hits' entries as common.rows shows them, by an array of ids: one statement whatever
# their number, prepared once (common.ROWS names each id: planned anew for every page).
ROWS = """
SELECT e.id, e.kind, e.code, e.title, {excerpt}, e.url, e.date, e.parents
FROM search_entry e WHERE e.id = ANY(%s::bigint[])
"""


def _select_rows(excerpt: tuple[str, list], ids: list[int]) -> list[tuple]:
    return _prepared(ROWS.format(excerpt=excerpt[0]), [*excerpt[1], _array(ids)])


def _prepared(sql: str, params: list) -> list[tuple]:
    """Run `sql` as a prepared statement with a generic plan: the same statement of another
    query (a sales user's first statement is the same for every query of as many terms) is
    not planned again. The connection asks for generic plans (`plan_cache_mode`, in the
    settings: only these statements are prepared); the kinds' partial indexes are named by
    literal positions, the rest are parameters whose plan does not depend on their values.
    Planning the UNION of the kinds cost 1.5 ms a statement; measured on 1,000,000 entries,
    p95 one word 23.7 -> 21.7 ms, two words 32 -> 28.5. Behind PgBouncer in transaction mode
    (TRACECODE_DB_PGBOUNCER: prepare_threshold None in the settings) a session's statements
    are not its own: nothing is prepared."""
    connection.ensure_connection()
    raw = connection.connection
    pooled = "prepare_threshold" in connection.settings_dict.get("OPTIONS", {})
    if not pooled and raw.prepare_threshold is None:
        # Django's cursors bind on the client and never prepare; this one only when asked.
        raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=not pooled)
        return cursor.fetchall()


def _plan_rest(short, groups, limit, terms) -> tuple[dict, dict, list[int]]:
    """For each kind short of a page, whether to read on newest first or to ask its GIN
    indexes, whichever reads fewer rows.

    Reading on needs (hits still missing) / (hits per row read so far) rows; the GIN indexes
    hand over every row of the kind holding the terms, the user's or not: about (hits per row)
    × (rows of the kind), each read and rechecked. A kind with no hit in its window goes to
    the indexes, and so does one that would need more than `FURTHER_MAX` rows. Returns them
    with the trigrams the indexes are asked for.
    """
    sizes, _newest_id, trigrams = _sizes(short, terms)
    further, rare = {}, {}
    for position, (oldest, read, hits) in short.items():
        rate = hits / read
        needed = (limit - groups[position].count) / rate if rate else FURTHER_MAX + 1
        if needed <= min(FURTHER_MAX, rate * sizes.get(position, 0)):
            further[position] = (oldest, max(WINDOW, round(needed * 1.5)))
        else:
            rare[position] = oldest
    return further, rare, trigrams


def _rare(terms, trigrams, visible, rest, cap, groups) -> None:
    """Add to the kinds in `rest` their hits older than their window, through the GIN indexes
    of each kind."""
    conditions, condition_params = _rare_conditions(terms, trigrams)
    branches, params = [], []
    for position, oldest in rest.items():
        branches.append(
            RARE_BRANCH.format(conditions=conditions, visible=_visible(visible, position))
        )
        params += [position, oldest, *condition_params, cap + 1]
    sql, cte_params = common.union(visible, branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cte_params, *params])
        rows = cursor.fetchall()
    for id_, position in rows:
        groups[position].ids.append(id_)
    for position in rest:
        groups[position].settle(cap)


def _matches(terms, e: str) -> tuple[str, list]:
    """SQL that holds when the entry `e` holds every term, as a substring in any case."""
    parts, params = [], []
    for term in terms:
        sql, pattern = _match(term, e)
        parts.append(sql)
        params.append(pattern)
    return " AND ".join(parts), params


def _match(term: str, e: str) -> tuple[str, str]:
    """One term as a substring, in any case.

    Terms without case (Chinese) use LIKE. ASCII terms use ILIKE in the C collation, where
    lower() folds ASCII letters only, byte by byte: exact for an ASCII term, and on Chinese
    text several times faster than the character-by-character folding of the database's
    collation, which only other terms (Müller, Ωmega) need.
    """
    haystack = HAYSTACK.format(e=e)
    pattern = f"%{like_escape(term)}%"
    if _caseless(term):
        return f'{haystack} COLLATE "C" LIKE %s', pattern
    if term.isascii():
        return f'{haystack} COLLATE "C" ILIKE %s', pattern
    return f"{haystack} ILIKE %s", pattern


def _rare_conditions(terms, trigrams: list[int]) -> tuple[str, list]:
    """What the kinds' GIN indexes answer, and what is checked on the rows they return.

    The index is asked for `trigrams`, those of the terms (`_asked`, computed by the
    database as it computes the entries': an entry holding a term in any case holds its
    trigrams). Containment needs no recheck: each term is then checked once on the rows
    found (`_match`). 1–2 CJK characters are looked up in the grams (exact); other 1–2
    characters, and words of fewer than three characters between spaces, have no trigram and
    are checked on what the rest found.
    """
    parts, params = [], []
    if trigrams:
        parts.append(f"{TRIGRAMS} @> %s::integer[]")
        params.append(_array(trigrams))
    for term in terms:
        if cjk.is_short(term):
            parts.append(f"{GRAMS.format(e='e')} @> ARRAY[%s]::text[]")
            params.append(term)
        else:
            sql, pattern = _match(term, "e")
            parts.append(sql)
            params.append(pattern)
    return " AND ".join(parts), params


def _asked(terms) -> str | None:
    """The text whose trigrams (`search_trigrams`) the kinds' indexes are asked for: the
    terms of three characters or more, one after the other (None: there are none).

    A word of ENDS_FROM or more ASCII letters and digits is asked for by its first and last
    three characters only. A GIN scan costs about as much per key (a descent of the entry
    and posting trees) as the few rows the sales user's slices hold: measured on a kind of
    360,000 entries, two words 0.5–0.7 ms a scan with every trigram (10 keys), 0.2 ms with
    two of each word.
    """
    asked = []
    for term in terms:
        if cjk.is_short(term):
            continue
        if len(term) >= ENDS_FROM and term.isascii() and term.isalnum():
            asked += [term[:3], term[-3:]]
        elif any(len(word) >= 3 for word in term.split(" ")):
            asked.append(term)
    return " ".join(asked) or None


@contextmanager
def _planned():
    """A transaction in which the full text's few small queries are planned as such: no JIT
    compilation (it cost tens of milliseconds on a plan whose estimate looked big) and no
    parallel workers (PLANNED: for the transaction only, in one round trip)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PLANNED)
        yield


PLANNED = (
    "SELECT set_config('jit', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)


def short_hits(term, visible, limit, positions):
    """Entries of short-titled kinds whose title holds `term` or whose code starts with it."""
    pattern = like_escape(term)
    branches, params = [], []
    for position in positions:
        branches.append(
            SHORT_BRANCH.format(
                like=_like(term), visible=common.visible_clause(visible, position=position)
            )
        )
        params += [position, f"%{pattern}%", f"{pattern}%", COUNT_CAP]
    hits = " UNION ALL ".join(branches)
    return common.ranked(visible, hits, params, excerpt(term), limit, group_cap=COUNT_CAP)


def _like(term: str) -> str:
    """ILIKE where case matters; plain LIKE for text without case (Chinese): half the time."""
    return "LIKE" if _caseless(term) else "ILIKE"


def _caseless(term: str) -> bool:
    """Whether `term` has no letter case (Chinese, digits): it matches as it is typed."""
    return term.lower() == term.upper()


def rebuild() -> None:
    """Nothing to do: the trigram index is PostgreSQL's own and always in step."""


def ensure_indexes(positions=None) -> None:
    """Make the GIN index of each kind (of every searchable kind and "Other"
    when `positions` is None); existing ones stay. Run after every migrate (apps.py)."""
    with connection.cursor() as cursor:
        # Migrated back before search 0007 (its functions): nothing to index with yet.
        cursor.execute(FUNCTIONS)
        if not cursor.fetchone()[0]:
            return
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
