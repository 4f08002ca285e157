"""Small builders for the import tests: workbooks and CSV files as people make them."""

import io

from openpyxl import Workbook

from tracecode.imports import engine, reading, sheets


def xlsx(*sheets_: tuple[str, list[list]]) -> bytes:
    """A workbook of (sheet name, rows) — the first row is the header."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets_:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding="utf-8-sig", delimiter=",") -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def run(kind_name, data: bytes, user, *, commit=True, keep_good=False, name="test.xlsx",
        remembered=None):  # fmt: skip
    """Import `data` as `user` in the foreground; the engine's Outcome."""
    kind = sheets.get(kind_name)
    layout = engine.arrange(kind, reading.read(data, name), remembered or {})
    context = engine.Context(user=user, source=f"{name} (test)")
    return engine.run(kind, layout, context=context, commit=commit, keep_good=keep_good)


def counted(captured) -> int:
    """The statements of a CaptureQueriesContext without the check of the schemes' stamp, which
    is made every few seconds (codes.services.SCHEMES_TTL_SECONDS), not per row: how many of
    those a run makes depends on how fast the machine is."""
    return len([q for q in captured.captured_queries if "codes_scheme" not in q["sql"]])
