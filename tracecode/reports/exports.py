"""A report as .xlsx: the filters on the first sheet, then one sheet per table, every row
(a page shows the first rows of a long list; the workbook holds them all)."""

import io
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "money": "#,##0.00",
    "int": "#,##0",
    "percent": '0.0"%"',
    "days": "0.0",
    "date": "yyyy-mm-dd",
    "month": "yyyy-mm",
}
BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _sheet_name(title: str, used: set) -> str:
    name = BAD_SHEET_CHARACTERS.sub(" ", str(title))[:28] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{name[:25]} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def workbook(report: figures.Report, filter_lines: list[tuple[str, str]]) -> bytes:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set = set()
    about = book.create_sheet(_sheet_name(_("Report"), used))
    about.append([WriteOnlyCell(about, value=_safe(str(report.title)))])
    about.append([_safe(str(report.description))])
    for label, value in filter_lines:
        about.append([str(label), _safe(str(value))])
    for note in report.notes:
        about.append([_safe(str(note))])
    about.append([_("Made"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=_safe(str(column.label)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_cell(sheet, row.get(c.key), c.kind) for c in table.columns])
        if table.total:
            cells = [_cell(sheet, table.total.get(c.key), c.kind) for c in table.columns]
            for cell in cells:
                cell.font = bold
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, kind: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_safe(value if not isinstance(value, str) else value))
    if kind in FORMATS and value is not None:
        cell.number_format = FORMATS[kind]
    return cell


def response(report: figures.Report, filter_lines, name: str) -> HttpResponse:
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    return HttpResponse(
        workbook(report, filter_lines),
        content_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
