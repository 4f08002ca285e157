"""Spreadsheets as people fill them, read into sheets of rows: .xlsx through openpyxl's
read-only mode, CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or
GBK/GB18030. Plain Python, no Django: the cells come back as the file holds them (text,
numbers, dates, booleans, None) and cells.py makes them what a column wants.

A sheet's header is its first row that is not empty; empty rows are left out; every row
keeps its number as the spreadsheet shows it, so an error can name it.
"""

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls, and other old Office files
DELIMITERS = ",;\t|"
SPACES = " \t\r\n\u00a0\u3000\u200b\ufeff"


class Unreadable(ValueError):
    """The file is not a spreadsheet this reads; the message says what it is instead."""


@dataclass
class Sheet:
    """One sheet: its header as written and its rows, each with its spreadsheet row number."""

    name: str
    header: list[str] = field(default_factory=list)
    header_row: int = 0
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.rows)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(SPACES))


def _sheet(name: str, rows: Iterable[tuple]) -> Sheet:
    """Header and rows of one sheet's cells; trailing empty cells and empty rows dropped."""
    sheet = Sheet(name)
    for number, cells in enumerate(rows, start=1):
        cells = tuple(cells)
        end = len(cells)
        while end and blank(cells[end - 1]):
            end -= 1
        if not end:
            continue
        if not sheet.header_row:
            sheet.header_row = number
            sheet.header = ["" if blank(c) else str(c).strip(SPACES) for c in cells[:end]]
            continue
        sheet.rows.append((number, cells[:end]))
    return sheet


def read(data: bytes, filename: str = "") -> list[Sheet]:
    """Every sheet of an .xlsx file, or the one sheet of a CSV file."""
    if data.startswith(XLSX_SIGNATURE):
        return read_xlsx(data)
    if data.startswith(OLE_SIGNATURE):
        raise Unreadable("an Excel 97–2003 (.xls) file: save it as .xlsx or CSV and upload that")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise Unreadable("not an .xlsx file: it does not start as one")
    return [read_csv(data, name=filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "CSV")]


def read_xlsx(data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Unreadable(f"a damaged .xlsx file ({error})") from None
    try:
        return [_sheet(ws.title, ws.iter_rows(values_only=True)) for ws in book.worksheets]
    finally:
        book.close()


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM or none), UTF-16 with its BOM, else GB18030
    (which reads GBK and GB2312 too)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise Unreadable("neither UTF-8 nor GBK/GB18030 text, nor a spreadsheet") from None


def read_csv(data: bytes, name: str = "CSV") -> Sheet:
    text = decode(data)
    if "\x00" in text:
        raise Unreadable("a binary file, not CSV text")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _sheet(name, reader)
    except csv.Error as error:
        raise Unreadable(f"broken CSV at line {reader.line_num}: {error}") from None
