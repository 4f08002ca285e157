"""One import: the sheets of a file matched to a kind's columns, each row validated and saved
through the kind's forms and services, in one transaction.

Every row is tried in a savepoint of its own, so that every failing row is found and named
(sheet, row, column, why), not just the first. Then the transaction keeps everything, or
nothing when a row failed (all or nothing, the default), or the good rows only
(`keep_good`). A dry run goes the same way and keeps nothing: its counts and the first rows
as they were saved, codes included, are what the import will do.
"""

import copy
import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from tracecode.codes import registry as codes_registry
from tracecode.codes.services import CodingError
from tracecode.core.concurrency import StaleEdit
from tracecode.customers import standing
from tracecode.search import index as search_index

from . import cells, sheets
from .reading import Sheet

PREVIEW_ROWS = 10
# Rows saved in one savepoint, their search entries and customer figures written together.
CHUNK_ROWS = 500
RECORDS_KEPT = 2000
PROGRESS_EVERY_SECONDS = 0.5


@dataclass
class Problem:
    """Why a row failed: where (sheet, row, the column's header as the file writes it) and why."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("%(sheet)s, row %(row)s") % {"sheet": self.sheet, "row": self.row}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": str(self.message)}  # fmt: skip


class RowFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(slots=True)
class Row:
    """One row of a sheet: the values of the columns the file gives, as the forms take them.
    (Slots: an orders workbook holds all its rows and lines at once, 60,000 at scale 1.)"""

    sheet: str
    number: int
    values: dict[str, Any]
    headers: dict[str, str]  # column key → the header as the file writes it
    columns: dict[str, sheets.Column]
    lines: list["Row"] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def given(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str, default=""):
        return self.values.get(key, default)

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = self.columns.get(key)
        return str(column.label) if column is not None else ""

    def problem(self, key: str, message) -> Problem:
        return Problem(self.sheet, self.number, self.header(key) if key else "", str(message))

    def fail(self, key: str, message):
        """Stop this row: `message` about the column `key` ("" for the whole row)."""
        raise RowFailed([self.problem(key, message)])


@dataclass
class Saved:
    """What happened to a row: new, updated or unchanged; the record; what undo needs."""

    action: str
    record: Any
    undo: dict | None = None


@dataclass
class Outcome:
    total: int = 0  # rows, lines included
    done: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    failing_rows: dict[str, list[int]] = field(default_factory=dict)  # sheet → row numbers
    preview: list[dict] = field(default_factory=list)
    undo: list[dict] = field(default_factory=list)
    committed: bool = False
    seconds: float = 0.0

    def count(self, row: Row, saved: Saved, kind) -> None:
        setattr(self, saved.action, getattr(self, saved.action) + 1)
        if saved.undo is not None:
            self.undo.append(saved.undo)
        if len(self.preview) < PREVIEW_ROWS:
            self.preview.append(
                {"row": row.number, "action": saved.action, "values": kind.preview(saved.record)}
            )

    def fail(self, row: Row, problems: list[Problem]) -> None:
        self.failed += 1
        self.problems.extend(problems)
        for each in [row, *row.lines]:
            numbers = self.failing_rows.setdefault(each.sheet, [])
            if each.number not in numbers[-1:]:
                numbers.append(each.number)

    def counts(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed}  # fmt: skip


@dataclass
class Context:
    """What saving a row needs besides the row."""

    user: Any
    source: str  # "customers.xlsx (import 12)": the history says where a record came from
    lookup: sheets.Lookup = field(default_factory=sheets.Lookup)
    cache: dict = field(default_factory=dict)  # what a kind looks up once per import
    # Records and defaults found once per import; forgotten when a row fails, since what its
    # savepoint rolled back may have changed them.
    records: dict = field(default_factory=dict)

    def remembered(self, key, find: Callable[[], Any]):
        """What `find()` gives for `key`, found once (until a row fails); the oldest are let
        go beyond RECORDS_KEPT, so that a long import's memory stays bounded."""
        if key not in self.records:
            if len(self.records) >= RECORDS_KEPT:
                for old in list(self.records)[: RECORDS_KEPT // 2]:
                    del self.records[old]
            self.records[key] = find()
        return self.records[key]


class NeedsMapping(Exception):
    """Headers that name no column: the user says once what each is (or to leave it out)."""

    def __init__(self, unknown: dict[str, list[str]]):
        super().__init__(
            "; ".join(f"{sheet}: {', '.join(headers)}" for sheet, headers in unknown.items())
        )
        self.unknown = unknown


class Unsuitable(Exception):
    """The file cannot be imported as this kind at all (no sheet of it, no rows)."""


# --- arranging the sheets -------------------------------------------------------------------


@dataclass
class Layout:
    """The sheets of a file as a kind reads them: its main sheet, and its lines either on a
    sheet of their own or on the main sheet's rows (one row per line, "flat")."""

    main: Sheet
    matched: sheets.Matched
    columns: list[sheets.Column]
    lines: Sheet | None = None
    lines_matched: sheets.Matched | None = None
    flat: bool = False

    @property
    def total(self) -> int:
        return self.main.size + (self.lines.size if self.lines is not None else 0)


SKIPPED_SHEETS = ("instructions", "说明", "lists", "列表", "填写说明")


def _names(label, key: str) -> set[str]:
    from django.conf import settings
    from django.utils import translation

    names = {cells.key(key)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(cells.key(str(label)))
    return names


def arrange(kind, book: list[Sheet], remembered: dict[str, str]) -> Layout:
    """Find the kind's sheets in a file and match their headers (NeedsMapping if some name
    no column and were never mapped; Unsuitable if there is nothing to import)."""
    skipped = {cells.key(name) for name in SKIPPED_SHEETS}
    candidates = [s for s in book if cells.key(s.name) not in skipped and s.header]
    if not candidates:
        raise Unsuitable(_("The file has no sheet with a header row."))
    lines_spec = kind.lines
    line_columns = (
        [c for c in lines_spec.columns if c.key != lines_spec.join.key] if lines_spec else []
    )
    named = _names(kind.sheet_label, kind.name)
    main = next((s for s in candidates if cells.key(s.name) in named), None)
    lines = None
    if lines_spec is not None:
        line_names = _names(lines_spec.label, f"{kind.name}-lines")
        lines = next((s for s in candidates if cells.key(s.name) in line_names), None)
        join_keys = sheets.header_keys(lines_spec.join)
        if lines is None:
            lines = next(
                (
                    s
                    for s in candidates
                    if s is not main and join_keys & {cells.key(h) for h in s.header}
                ),
                None,
            )
    if main is None:
        main = next(s for s in candidates if s is not lines)
    unknown: dict[str, list[str]] = {}
    flat = False
    columns = list(kind.columns)
    if lines_spec is not None and lines is None:
        flat_matched = sheets.match(main.header, columns + line_columns, remembered)
        flat = any(name in {c.key for c in line_columns} for name in flat_matched.columns.values())
        if flat:
            columns = columns + line_columns
    matched = sheets.match(main.header, columns, remembered)
    if matched.unknown:
        unknown[main.name] = matched.unknown
    layout = Layout(main, matched, columns, flat=flat)
    if lines is not None:
        layout.lines = lines
        layout.lines_matched = sheets.match(lines.header, lines_spec.columns, remembered)
        if layout.lines_matched.unknown:
            unknown[lines.name] = layout.lines_matched.unknown
    if unknown:
        raise NeedsMapping(unknown)
    return layout


# --- reading the rows -----------------------------------------------------------------------


class _Reader:
    """Reads the rows of one sheet: each matched column's cell as its column takes it."""

    def __init__(self, sheet: Sheet, matched: sheets.Matched, columns, lookup):
        self.sheet, self.matched, self.lookup = sheet, matched, lookup
        self.by_key = {c.key: c for c in columns}
        self.headers = {key: sheet.header[position] for position, key in matched.columns.items()}

    def cells(self, raw: tuple, wanted: str | None = None) -> Iterator[tuple[str, Any]]:
        """(key, value) of each imported column (only `wanted`'s if given); the value is the
        CellError when the cell cannot be read."""
        for position, key in self.matched.columns.items():
            column = self.by_key[key]
            if not column.imported or wanted not in (None, key):
                continue
            cell = raw[position] if position < len(raw) else None
            try:
                yield key, sheets.read_cell(column, cell, self.lookup)
            except cells.CellError as error:
                yield key, error

    def row(self, number: int, raw: tuple) -> Row:
        row = Row(self.sheet.name, number, {}, self.headers, self.by_key)
        for key, value in self.cells(raw):
            if isinstance(value, cells.CellError):
                row.problems.append(row.problem(key, value))
            else:
                row.values[key] = value
        return row

    def value(self, raw: tuple, key: str):
        """What `row(…).get(key)` gives, without reading the rest of the row."""
        read = [v for _key, v in self.cells(raw, key) if not isinstance(v, cells.CellError)]
        return read[-1] if read else ""

    def __iter__(self) -> Iterator[Row]:
        for number, raw in self.sheet.rows:
            yield self.row(number, raw)


def _join_key(value) -> str:
    return codes_registry.normalise(str(value or "")).upper()


def groups(kind, layout: Layout, lookup: sheets.Lookup) -> Iterator[Row]:
    """The rows to save, each with its lines; a line naming no row of the file fails on its
    own, after the rows. Rows are read as they are saved, so that a long sheet's rows are not
    all held at once: for a kind with lines on a sheet of their own, which row each line
    belongs to is found first from the two join cells alone."""
    spec = kind.lines
    rows = _Reader(layout.main, layout.matched, layout.columns, lookup)
    if spec is None:
        return iter(rows)
    if layout.flat:
        return iter(_flat_groups(list(rows), {c.key for c in spec.columns}, spec))
    lines = None
    if layout.lines is not None:
        lines = _Reader(layout.lines, layout.lines_matched, spec.columns, lookup)
    return _joined(rows, lines, spec)


def _joined(main: _Reader, lines: _Reader | None, spec) -> Iterator[Row]:
    owners: dict[str, int] = {}  # a code or ref → the first row naming it
    for index, (_number, raw) in enumerate(main.sheet.rows):
        for name in ("code", "ref"):
            if said := main.value(raw, name):
                owners.setdefault(_join_key(said), index)
    lines_of: dict[int, list[int]] = {}
    orphans: list[int] = []
    if lines is not None:
        for index, (_number, raw) in enumerate(lines.sheet.rows):
            owner = owners.get(_join_key(lines.value(raw, spec.join.key)))
            if owner is None:
                orphans.append(index)
            else:
                lines_of.setdefault(owner, []).append(index)

    def line(index: int) -> Row:
        return lines.row(*lines.sheet.rows[index])

    for index, (number, raw) in enumerate(main.sheet.rows):
        row = main.row(number, raw)
        row.lines = [line(n) for n in lines_of.get(index, ())]
        yield row
    for index in orphans:
        orphan = line(index)
        said = orphan.get(spec.join.key)
        message = (
            _("No row of the %(sheet)s sheet has the code or ref %(value)s.")
            % {"sheet": main.sheet.name, "value": said}
            if said
            else _("Name the row of the %(sheet)s sheet this line belongs to.")
            % {"sheet": main.sheet.name}
        )
        orphan.problems.append(orphan.problem(spec.join.key, message))
        yield orphan


def _flat_groups(rows: list[Row], line_keys: set[str], spec) -> list[Row]:
    """One row per line: rows with the same code (or ref) are one record and its lines."""
    result: list[Row] = []
    by_key: dict[str, Row] = {}
    for row in rows:
        line = Row(row.sheet, row.number, {}, row.headers, row.columns)
        for key in list(row.values):
            if key in line_keys:
                line.values[key] = row.values.pop(key)
        line.problems = [p for p in row.problems if p.column in {row.header(k) for k in line_keys}]
        row.problems = [p for p in row.problems if p not in line.problems]
        name = row.get("code") or row.get("ref")
        owner = by_key.get(_join_key(name)) if name else None
        if owner is None:
            owner = row
            result.append(row)
            if name:
                by_key[_join_key(name)] = row
        else:
            owner.problems.extend(row.problems)
        if any(v not in ("", [], "false") for v in line.values.values()) or line.problems:
            owner.lines.append(line)
    return result


# --- running --------------------------------------------------------------------------------

EXPECTED = (ValidationError, CodingError, StaleEdit, DatabaseError)


def problems_of(error, row: Row, kind) -> list[Problem]:
    """An error of a form, a service or the coding engine as the row's problems."""
    if isinstance(error, RowFailed):
        return error.problems
    if isinstance(error, CodingError):
        key = kind.column_of_field(error.field or "code")
        return [row.problem(key, _("The code cannot be given: %(error)s") % {"error": error})]
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            found = []
            for name, messages in error.message_dict.items():
                key = kind.column_of_field(name)
                found.extend(row.problem(key, message) for message in messages)
            return found
        return [row.problem("", message) for message in error.messages]
    if isinstance(error, StaleEdit):
        return [row.problem("", _("Someone else saved this record during the import."))]
    return [row.problem("", _("It could not be saved: %(error)s") % {"error": error})]


def run(
    kind,
    layout: Layout,
    *,
    context: Context,
    commit: bool,
    keep_good: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Validate and save every row in one transaction; keep what the options say."""
    started = time.monotonic()
    rows = groups(kind, layout, context.lookup)
    outcome = Outcome(total=layout.total)
    reported = started
    with transaction.atomic():
        while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
            _run_chunk(kind, chunk, context, outcome)
            if progress is not None and time.monotonic() - reported >= PROGRESS_EVERY_SECONDS:
                reported = time.monotonic()
                progress(outcome)
        outcome.committed = commit and (keep_good or not outcome.failed)
        if not outcome.committed:
            transaction.set_rollback(True)
            outcome.undo = []
    outcome.seconds = time.monotonic() - started
    if progress is not None:
        progress(outcome)
    return outcome


def _problems(row: Row) -> list[Problem]:
    return row.problems + [p for line in row.lines for p in line.problems]


def _run_chunk(kind, chunk: list[Row], context: Context, outcome: Outcome) -> None:
    """Save a chunk of rows in one savepoint, their search entries and customer figures
    written once at its end. When a row fails, the chunk is rolled back and its rows are
    tried again one by one, each in a savepoint of its own, so every failing row is named and
    the others are kept or not as the options say."""
    cache = {name: copy.copy(value) for name, value in context.cache.items()}
    try:
        with transaction.atomic(), _deferred():
            results = _save_chunk(kind, chunk, context)
    except EXPECTED + (RowFailed,):
        context.cache.clear()
        context.cache.update(cache)
        context.records.clear()
        _run_rows(kind, chunk, context, outcome)
        return
    for row, result in results:
        if isinstance(result, list):
            outcome.fail(row, result)
        else:
            outcome.count(row, result, kind)
        outcome.done += 1 + len(row.lines)


def _save_chunk(kind, chunk: list[Row], context: Context) -> list[tuple[Row, Any]]:
    """Each row with what saving it gave, or its problems when its cells failed to read (such
    a row writes nothing). The kind saves the others together (`save_rows`) unless
    settings.IMPORT_BULK is off: then each through `save_row`, as the per-row path always did."""
    readable = [row for row in chunk if not _problems(row)]
    if settings.IMPORT_BULK:
        saved = iter(kind.save_rows(readable, context))
    else:
        saved = iter([kind.save_row(row, context) for row in readable])
    return [(row, _problems(row) or next(saved)) for row in chunk]


def _run_rows(kind, chunk: list[Row], context: Context, outcome: Outcome) -> None:
    with _deferred():
        for row in chunk:
            try:
                with transaction.atomic():
                    problems = _problems(row)
                    if problems:
                        raise RowFailed(problems)
                    saved = kind.save_row(row, context)
                    outcome.count(row, saved, kind)
            except EXPECTED + (RowFailed,) as error:
                context.records.clear()
                outcome.fail(row, problems_of(error, row, kind))
            outcome.done += 1 + len(row.lines)


@contextmanager
def _deferred():
    """The search entries and customer figures of the rows saved inside, written at its end."""
    with search_index.deferred(), standing.deferred():
        yield
