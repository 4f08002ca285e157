"""A register's list as .xlsx or CSV: the filtered list, only what the user may see.

The columns are the records' own fields, one value a cell (codes for materials and
customers, ISO codes for countries, `|` between several values), so an import can read the
same file back.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tracecode.customers.exports import FORMATS, _safe

from . import labels
from .models import Material, Part, Supplier


def _code(record) -> str:
    return record.code if record is not None else ""


def _yes(value: bool) -> str:
    return "yes" if value else "no"


COLUMNS = {
    Part: [
        ("code", lambda p: p.code),
        ("customer", lambda p: p.customer.code),
        ("customer_part_number", lambda p: p.customer_part_number),
        ("name", lambda p: p.name),
        ("category", lambda p: p.category),
        ("type", lambda p: p.part_type),
        ("drawing_revision", lambda p: p.drawing_revision),
        ("material", lambda p: _code(p.material)),
        ("material_spec", lambda p: p.material_spec),
        ("process", lambda p: p.process),
        ("unit", lambda p: p.unit),
        ("hs_code", lambda p: p.hs_code),
        ("origin", lambda p: p.origin),
        ("active", lambda p: _yes(p.active)),
        ("notes", lambda p: p.notes),
    ],
    Material: [
        ("code", lambda m: m.code),
        ("class", lambda m: m.material_class),
        ("subclass", lambda m: m.subclass),
        ("name", lambda m: m.name),
        ("full_name", labels.full_name),
        ("specification", lambda m: m.specification),
        ("manufacturer", lambda m: m.manufacturer),
        ("unit", lambda m: m.unit),
        ("active", lambda m: _yes(m.active)),
        ("notes", lambda m: m.notes),
    ],
    Supplier: [
        ("code", lambda s: s.code),
        ("name", lambda s: s.name),
        ("country", lambda s: s.country),
        ("region", lambda s: s.region),
        ("address", lambda s: s.address),
        ("phone", lambda s: s.phone),
        ("email", lambda s: s.email),
        ("website", lambda s: s.website),
        ("materials", lambda s: "|".join(m.code for m in s.materials.all())),
        ("subclasses", lambda s: "|".join(s.subclasses or [])),
        ("contacts", lambda s: "|".join(c.name for c in s.contacts.all())),
        ("active", lambda s: _yes(s.active)),
        ("notes", lambda s: s.notes),
    ],
}
NAMES = {Part: "parts", Material: "materials", Supplier: "suppliers"}


def rows(model, records):
    """The header row (field names, as an import reads them), then one row per record."""
    columns = COLUMNS[model]
    yield [name for name, _value in columns]
    for record in records:
        yield [_safe(value(record)) for _name, value in columns]


def as_csv(model, records) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(model, records):
        writer.writerow(["" if value is None else str(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Chinese correctly


def as_xlsx(model, records) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(NAMES[model])
    bold = Font(bold=True)
    for number, row in enumerate(rows(model, records)):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if number == 0:
                cell.font = bold
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(model, records, fmt: str) -> HttpResponse:
    content = as_xlsx(model, records) if fmt == "xlsx" else as_csv(model, records)
    name = f"{NAMES[model]}-{timezone.localdate():%Y%m%d}.{fmt}"
    return HttpResponse(
        content,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
