"""Writing sheets: an export of a list, the template of a kind (its columns, an instructions
sheet, drop-downs for the table fields), and the file of the rows that failed, with an
Error column, to fix and upload again.

Exports and templates have the same columns and write a choice as the template's drop-down
offers it (its label in the reader's language, or its value: USD, FOB), so an export can be
edited and imported again. Workbooks are written row by row (openpyxl's write-only mode), so
a large export never holds the whole sheet in memory.
"""

import csv
import datetime
import gc
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import cells
from .reading import Sheet
from .sheets import Column, display

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
TEXT_TYPES = {"text", "folded", "code", "phone", "several", "choice"}


def export_name(kind, fmt: str) -> str:
    """The file name of a list's export: `customers-20261205.xlsx`."""
    return f"{kind.name}-{timezone.localdate():%Y%m%d}.{fmt}"


def attachment(content, name: str, fmt: str = "xlsx") -> HttpResponse:
    """A download of `content`: bytes, or an open file (streamed), as `name`."""
    response = (
        HttpResponse(content, content_type=FORMATS[fmt])
        if isinstance(content, bytes)
        else FileResponse(content, content_type=FORMATS[fmt])
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


BOLD = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
ERROR_FONT = Font(color="C00000", bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
VALIDATED_ROWS = 10_000


def title(text) -> str:
    """A sheet's name as Excel allows it: no []:*?/\\, at most 31 characters."""
    return INVALID_TITLE.sub(" ", str(text)).strip()[:31] or "Sheet"


def labels_of(columns: Iterable[Column]) -> dict[str, dict]:
    """Each choice column's labels by value, in the reader's language (once per file)."""
    return {
        c.key: {str(value): str(label) for value, label in c.choices()}
        for c in columns
        if c.choices is not None
    }


def row_of(columns: list[Column], record, labels: dict) -> list:
    return [display(c, c.value(record), labels.get(c.key)) for c in columns]


def _cell(sheet, value, column: Column | None = None, *, header=False):
    cell = WriteOnlyCell(sheet, value=value)
    if header:
        cell.font = BOLD
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif column is not None and column.type in TEXT_TYPES:
        cell.number_format = "@"  # what a person types there stays text: 001 keeps its zeros
    return cell


def _prepare(sheet, columns: list[Column]) -> None:
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"


def _write_sheet(book, name, columns, rows: Iterable[list], headers=None, progress=None):
    sheet = book.create_sheet(title(name))
    _prepare(sheet, columns)
    headers = headers or [str(c.label) for c in columns]
    sheet.append([_cell(sheet, h, header=True) for h in headers])
    for count, values in enumerate(rows, start=1):
        sheet.append([_cell(sheet, v, c) for v, c in zip(values, columns, strict=True)])
        if progress is not None and count % 500 == 0:
            progress(count)
    return sheet


def _dropdowns(book, sheets_columns: list[tuple], *, lists_title: str) -> None:
    """A list of the allowed values for every choice column, from a hidden sheet."""
    choice_columns = []
    for sheet, columns in sheets_columns:
        for number, column in enumerate(columns, start=1):
            if column.type == "choice" and column.choices is not None and column.imported:
                choice_columns.append((sheet, number, column))
    if not choice_columns:
        return
    lists = book.create_sheet(title(lists_title))
    lists.sheet_state = "hidden"
    values_by_column = []
    for _sheet, _number, column in choice_columns:
        shown = [str(v) if column.shows_value else str(label) for v, label in column.choices()]
        values_by_column.append(shown)
    depth = max(len(v) for v in values_by_column)
    for index in range(depth):
        lists.append([v[index] if index < len(v) else None for v in values_by_column])
    for position, (sheet, number, _column) in enumerate(choice_columns, start=1):
        count = len(values_by_column[position - 1])
        if not count:
            continue
        letter = get_column_letter(position)
        rule = DataValidation(
            type="list",
            formula1=f"'{lists.title}'!${letter}$1:${letter}${count}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not in the list"),
            error=_("Choose from the list, or give the code."),
        )
        target = get_column_letter(number)
        rule.add(f"{target}2:{target}{VALIDATED_ROWS}")
        sheet.data_validations.append(rule)


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Exports -----------------------------------------------------------------------------------


CHUNK = 1000  # records read at a time (their prefetches too): an order with its lines ~25 KB


def streamed(records) -> Iterable:
    """The records read a chunk at a time (a queryset), so a long export never holds them all."""
    if not hasattr(records, "iterator"):
        yield from records
        return
    for count, record in enumerate(records.iterator(chunk_size=CHUNK), start=1):
        yield record
        if count % CHUNK == 0:
            # A record and its prefetched lines point at each other: without a collection the
            # chunks read so far stay in memory (orders: 18 KB each, 92 MB for 10,000).
            gc.collect()


def lines_rows(kind, records, labels) -> Iterable[list]:
    spec = kind.lines
    for record in streamed(records):
        for line in spec.records(record):
            yield row_of(spec.columns, line, labels)


def export_xlsx(kind, records, *, progress: Callable[[int], None] | None = None, out=None):
    """The records as a workbook: the kind's sheet, its lines sheet, drop-downs. Written to
    `out` (a path or a binary file) when given, else returned as bytes. A kind with lines
    reads its records twice (once per sheet) rather than holding them."""
    columns = kind.columns
    labels = labels_of(columns + (kind.lines.columns if kind.lines else []))
    book = Workbook(write_only=True)
    main = _write_sheet(
        book, kind.sheet_label, columns,
        (row_of(columns, r, labels) for r in streamed(records)), progress=progress,
    )  # fmt: skip
    written = [(main, columns)]
    if kind.lines is not None:
        lines = _write_sheet(
            book, kind.lines.label, kind.lines.columns, lines_rows(kind, records, labels)
        )
        written.append((lines, kind.lines.columns))
    _dropdowns(book, written, lists_title=_("Lists"))
    if out is not None:
        book.save(out)
        return None
    return _save(book)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def export_csv(kind, records, *, progress: Callable[[int], None] | None = None, out=None):
    """The records as CSV (UTF-8 with a BOM, so Excel reads Chinese right). A kind with
    lines writes one row per line, the record's columns repeated: an import groups them.
    Written to `out` (a binary file) when given, else returned as bytes."""
    columns = kind.columns
    line_columns = []
    if kind.lines is not None:
        line_columns = [c for c in kind.lines.columns if c.key != kind.lines.join.key]
    labels = labels_of(columns + line_columns)
    target = out if out is not None else io.BytesIO()
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([str(c.label) for c in columns + line_columns])
    for count, record in enumerate(streamed(records), start=1):
        values = row_of(columns, record, labels)
        if line_columns:
            lines = list(kind.lines.records(record)) or [None]
            for line in lines:
                extra = row_of(line_columns, line, labels) if line is not None else []
                extra += [""] * (len(line_columns) - len(extra))
                writer.writerow([_csv_text(v) for v in values + extra])
        else:
            writer.writerow([_csv_text(v) for v in values])
        if progress is not None and count % 500 == 0:
            progress(count)
    text.flush()
    text.detach()  # the caller's file stays open
    return target.getvalue() if out is None else None


# Templates ---------------------------------------------------------------------------------


def template_xlsx(kind, *, examples: list[list] | None = None, lines: list[list] | None = None):
    """An empty sheet of the kind (or one with example rows) to fill in: the header in the
    reader's language, required columns marked, an instructions sheet and drop-downs."""
    columns = [c for c in kind.columns if c.imported]
    book = Workbook(write_only=True)
    marked = [f"{c.label} *" if c.required else str(c.label) for c in columns]
    main = _write_sheet(book, kind.sheet_label, columns, examples or [], headers=marked)
    written = [(main, columns)]
    line_columns = []
    if kind.lines is not None:
        line_columns = [c for c in kind.lines.columns if c.imported or c is kind.lines.join]
        line_columns = [kind.lines.join, *[c for c in line_columns if c.key != kind.lines.join.key]]
        line_headers = [f"{c.label} *" if c.required else str(c.label) for c in line_columns]
        sheet = _write_sheet(book, kind.lines.label, line_columns, lines or [],
                             headers=line_headers)  # fmt: skip
        written.append((sheet, line_columns))
    _instructions(book, kind, columns, line_columns)
    _dropdowns(book, written, lists_title=_("Lists"))
    return _save(book)


def _instructions(book, kind, columns, line_columns) -> None:
    sheet = book.create_sheet(title(_("Instructions")))
    for letter, width in zip("ABCDE", (22, 26, 10, 70, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = [
        _("How to fill in this workbook: %(kind)s") % {"kind": kind.label},
        str(kind.help),
        _(
            "The first row of each sheet holds the column names; they may be in English or "
            "Chinese and in any order. Columns you leave out are not changed; an empty cell in a "
            "column you give empties that field. Columns marked * must be filled for a new "
            "record."
        ),  # fmt: skip
        _(
            "Codes: leave the code empty to give the next code of the scheme; an existing code "
            "updates that record; a code not yet given is kept as it is (administrators and "
            "managers) and the numbering continues after it. A code that does not fit the scheme "
            "is refused, never changed."
        ),  # fmt: skip
        _(
            "Dates as 2026-05-01 (or date cells); yes/no as yes, no, 1, 0, 是, 否. Choices from "
            "the drop-downs, by their code, or their English or Chinese name."
        ),  # fmt: skip
        _(
            "Import it on the Import page: a preview shows what would be new, updated, unchanged "
            "and failing before anything is saved; failing rows come back in a file with an "
            "Error column, to fix and upload again."
        ),  # fmt: skip
    ]
    for note in notes:
        cell = WriteOnlyCell(sheet, value=note)
        cell.alignment = WRAP
        sheet.append([cell])
    sheet.append([])
    header = [_("Sheet"), _("Column"), _("Required"), _("What to enter"), _("Example")]
    sheet.append([_cell(sheet, h, header=True) for h in header])
    for sheet_name, group in ((kind.sheet_label, columns),
                              (kind.lines.label if kind.lines else "", line_columns)):  # fmt: skip
        for column in group:
            what = str(column.help) if column.help else ""
            if column.type == "choice" and column.choices is not None:
                what = (what + " " + _("From the drop-down list.")).strip()
            elif column.type == "date":
                what = (what + " " + _("A date: 2026-05-01.")).strip()
            row = [str(sheet_name), str(column.label), _("yes") if column.required else "",
                   what, str(column.example)]  # fmt: skip
            cells_ = [WriteOnlyCell(sheet, value=v) for v in row]
            for cell in cells_:
                cell.alignment = WRAP
            if column.required:
                cells_[1].fill = REQUIRED_FILL
            sheet.append(cells_)


# The rows that failed ----------------------------------------------------------------------


def failing_xlsx(book: list[Sheet], errors: dict[str, dict[int, str]]) -> bytes:
    """The rows that failed, as they were uploaded, with an Error column first saying why:
    fix them and upload this file again (the Error column is left out then)."""
    out = Workbook(write_only=True)
    for sheet in book:
        wanted = errors.get(sheet.name)
        if not wanted:
            continue
        written = out.create_sheet(title(sheet.name))
        written.column_dimensions["A"].width = 60
        written.freeze_panes = "B2"
        header = [_cell(written, _("Error"), header=True)]
        header += [_cell(written, h, header=True) for h in sheet.header]
        written.append(header)
        for number, raw in sheet.rows:
            if number not in wanted:
                continue
            error = WriteOnlyCell(written, value=wanted[number])
            error.font = ERROR_FONT
            error.alignment = WRAP
            row = [error]
            for value in raw:
                cell = WriteOnlyCell(written, value=cells.safe(value))
                if isinstance(value, str):
                    cell.number_format = "@"
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                row.append(cell)
            written.append(row)
    if not out.worksheets:
        out.create_sheet(title(_("Error")))
    return _save(out)
