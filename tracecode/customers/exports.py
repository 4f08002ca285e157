"""The customer list as .xlsx or CSV: the filtered list, only what the user may see."""

import csv
import datetime
import io
import re

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import services
from .countries import country_name, phone_display
from .models import Contact

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A text cell starting with one of these is run as a formula by spreadsheet programs; a
# phone number (+49 711 …, +1 415-555-0100, +1 (415) 555-0100: digits, spaces and the
# punctuation of phone numbers, no letter) cannot call anything and stays as it is.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?[0-9][0-9 .()/-]*")


def _main(customer):
    return customer.main_contacts[0] if customer.main_contacts else None


def columns():
    """(header, value of a customer) for each column, headers in the user's language."""
    return [
        (_("Code"), lambda c: c.code),
        (_("Company"), lambda c: c.company_name),
        (_("Country"), lambda c: country_name(c.country)),
        (_("City"), lambda c: c.city),
        (_("Industry"), lambda c: str(c.industry) if c.industry else ""),
        (_("Business status"), lambda c: str(c.status) if c.status else ""),
        (_("Class"), lambda c: c.contribution_class),
        (_("Key account"), lambda c: _("yes") if c.is_key_account else ""),
        (_("Owner"), lambda c: c.owner.get_full_name() or c.owner.username),
        (_("Main contact"), lambda c: _main(c).name if _main(c) else ""),
        (_("Email"), lambda c: c.email or (_main(c).email if _main(c) else "")),
        (_("Phone"), lambda c: phone_display(c.phone)),
        (_("Website"), lambda c: c.website),
        (_("Next step"), lambda c: c.next_step),
        (_("Next step due"), lambda c: c.next_step_due),
        (_("Last contact"), lambda c: c.last_contact),
        (_("NDA signed"), lambda c: c.nda_date if c.nda_signed else ""),
        (_("Satisfaction"), lambda c: c.satisfaction or ""),
        (_("Credit level"), lambda c: c.credit_level),
        (_("Created"), lambda c: timezone.localtime(c.created_at).date()),
    ]


def rows(customers):
    """The header row, then one row per customer."""
    customers = customers.prefetch_related(
        Prefetch("contacts", Contact.objects.filter(is_main=True), to_attr="main_contacts")
    )
    classes = services.classes_of(customers)
    cols = columns()
    yield [str(header) for header, _value in cols]
    for customer in customers:
        customer.contribution_class = classes.get(customer.pk, "")
        yield [_safe(value(customer)) for _header, value in cols]


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not HARMLESS.fullmatch(value):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def as_csv(customers) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(customers):
        writer.writerow([_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Chinese correctly


def as_xlsx(customers) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Customers"))
    bold = Font(bold=True)
    for number, row in enumerate(rows(customers)):
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


def response(customers, fmt: str) -> HttpResponse:
    content = as_xlsx(customers) if fmt == "xlsx" else as_csv(customers)
    name = f"customers-{timezone.localdate():%Y%m%d}.{fmt}"
    return HttpResponse(
        content,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
