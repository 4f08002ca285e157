"""PI, CI, PL and quotations as PDF (WeasyPrint) and .xlsx (openpyxl).

Renderers only: they turn a record into bytes and save nothing. services.py numbers the
version, stores the files and records the row, so a document that fails to render leaves
nothing behind. The PDFs use Noto Sans CJK SC (Debian's fonts-noto-cjk) so Chinese and
English text both render as glyphs.
"""

import io
import logging
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tracecode.company.services import letterhead
from tracecode.core.amounts import in_chinese, in_words
from tracecode.core.pdf import render_pdf
from tracecode.customers.countries import country_name

from .trade import INCOTERMS, UNITS, format_money, format_price, format_quantity, money

TITLES = {
    "PI": ("PROFORMA INVOICE", "形式发票"),
    "CI": ("COMMERCIAL INVOICE", "商业发票"),
    "PL": ("PACKING LIST", "装箱单"),
    "QUOTATION": ("QUOTATION", "报价单"),
}
UNIT_NAMES = {"pcs": "pcs", "m2": "m²", "l": "L"}

# WeasyPrint reports every rendering step at INFO; only its warnings belong in our logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class DocumentError(Exception):
    """A document could not be produced; the message says why."""


def _pdf(html: str, title: str) -> bytes:
    try:
        return render_pdf(html)
    except Exception as error:  # a renderer fails in many ways; the user needs the reason
        raise DocumentError(
            _("The %(document)s could not be rendered as PDF: %(reason)s")
            % {"document": title, "reason": str(error) or type(error).__name__}
        ) from error


def unit_name(unit: str) -> str:
    return UNIT_NAMES.get(unit, unit)


def incoterm_text(term: str, place: str) -> str:
    return f"{term} {place}".strip() if term else ""


CUBIC_CM_PER_CBM = Decimal(1_000_000)


def carton_volume(line) -> Decimal | None:
    """The line's cartons in cubic metres (CBM), when their count and size are known."""
    sizes = (line.carton_length, line.carton_width, line.carton_height)
    if not line.cartons or any(size is None for size in sizes):
        return None
    length, width, height = sizes
    return (length * width * height * line.cartons / CUBIC_CM_PER_CBM).quantize(Decimal("0.001"))


def carton_size(line) -> str:
    sizes = (line.carton_length, line.carton_width, line.carton_height)
    if any(size is None for size in sizes):
        return ""
    return "×".join(format_quantity(size) for size in sizes) + " cm"


def line_customs(line) -> tuple[str, str]:
    """The line's HS code and origin: its own, else those of the part it names."""
    part = line.part if line.part_id else None
    hs_code = line.hs_code or (part.hs_code if part else "")
    origin = line.origin or (part.origin if part else "")
    return hs_code, origin


def buyer(order) -> dict:
    """The buyer as the documents address it: name, address, country, attention contact."""
    customer = order.project.customer
    contact = order.attention
    return {
        "name": customer.company_name,
        "code": customer.code,
        "address": customer.address,
        "country": country_name(customer.country) if customer.country else "",
        "attention": contact.name if contact else "",
        "attention_contact": " · ".join(
            x for x in ((contact.email, contact.phone) if contact else ()) if x
        ),
    }


def order_context(order, document) -> dict:
    """Everything PI, CI and PL print, prepared once for the PDF and the workbook."""
    lines = []
    totals = {"quantity": {}, "cartons": 0, "net": Decimal(0), "gross": Decimal(0)}
    volume = Decimal(0)
    for number, line in enumerate(order.lines.select_related("part"), start=1):
        hs_code, origin = line_customs(line)
        cbm = carton_volume(line)
        volume += cbm or 0
        lines.append(
            {
                "hs_code": hs_code,
                "origin": origin,
                "carton_size": carton_size(line),
                "cbm": format_quantity(cbm) if cbm is not None else "",
                "cbm_value": cbm,
                "number": number,
                "part_number": line.part_number,
                "specification": line.specification,
                "quantity": format_quantity(line.quantity),
                "unit": unit_name(line.unit),
                "unit_price": format_price(line.unit_price),
                "amount": format_money(line.amount),
                "cartons": line.cartons or "",
                "net_weight": format_quantity(line.net_weight),
                "gross_weight": format_quantity(line.gross_weight),
                "raw": line,
            }
        )
        unit = unit_name(line.unit)
        totals["quantity"][unit] = totals["quantity"].get(unit, 0) + line.quantity
        totals["cartons"] += line.cartons or 0
        totals["net"] += line.net_weight or 0
        totals["gross"] += line.gross_weight or 0
    customer = order.project.customer
    title, title_zh = TITLES[document.kind]
    to = buyer(order)
    return {
        "company": letterhead(order.currency),
        "buyer": to,
        "consignee": order.consignee or "\n".join(x for x in (to["name"], to["address"]) if x),
        "total_words": in_words(order.total, order.currency),
        "total_chinese": in_chinese(order.total, order.currency),
        "total_cbm": format_quantity(volume) if volume else "",
        "total_cbm_value": volume or None,
        "with_customs": any(line["hs_code"] or line["origin"] for line in lines),
        "title": title,
        "title_zh": title_zh,
        "kind": document.kind,
        "number": order.code,
        "date": document.issued_on,
        "version": document.version,
        "order": order,
        "customer": customer,
        "project": order.project,
        "incoterm": incoterm_text(order.incoterm, order.incoterm_place),
        "lines": lines,
        "total": format_money(order.total, order.currency),
        "total_quantity": ", ".join(
            f"{format_quantity(q)} {u}" for u, q in totals["quantity"].items()
        ),
        "total_cartons": totals["cartons"] or "",
        "total_net": format_quantity(totals["net"]) if totals["net"] else "",
        "total_gross": format_quantity(totals["gross"]) if totals["gross"] else "",
        "with_prices": document.kind in ("PI", "CI"),
        "with_shipping": document.kind in ("CI", "PL"),
    }


def order_pdf(order, document) -> bytes:
    """The PI, CI or PL of an order as PDF."""
    with translation.override("en"):
        html = render_to_string("sales/documents/order.html", order_context(order, document))
    return _pdf(html, document.kind)


def order_xlsx(order, document) -> bytes:
    """The PI, CI or PL of an order as an Excel workbook, for customers who import it.

    Quantities, prices, weights and volumes are numbers in their cells (a customer sums them),
    never text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    context = order_context(order, document)
    book = Workbook()
    sheet = book.active
    sheet.title = document.kind
    bold = Font(bold=True)
    company = context["company"]
    to = context["buyer"]
    rows = [
        [company["name"]],
        [company["name_zh"]],
        [company["address"]],
        [f"Tel {company['phone']} · {company['email']}"],
        [],
        [f"{context['title']} {context['title_zh']}"],
        ["No.", order.code, "Date", document.issued_on.isoformat(), "Version", document.version],
        ["Buyer", f"{to['name']} ({to['code']})"],
        ["Buyer's address", "\n".join(x for x in (to["address"], to["country"]) if x)],
        ["Attention", " ".join(x for x in (to["attention"], to["attention_contact"]) if x)],
        ["Project", f"{order.project.code} ({order.project.name})"],
        ["Customer PO", order.customer_po],
        ["Incoterm", context["incoterm"]],
        ["Delivery date", order.delivery_date.isoformat()],
        ["Port of loading", order.port_of_loading]
        + ["Port of destination", order.port_of_destination],
    ]
    if context["with_shipping"]:
        rows += [
            ["Consignee", context["consignee"]],
            ["Notify party", order.notify_party or "Same as consignee"],
            ["Carrier", order.carrier, "B/L / tracking no.", order.tracking_number],
            ["ETD", order.etd.isoformat() if order.etd else "", "ETA", _iso(order.eta)],
        ]
    rows.append([])
    for row in rows:
        sheet.append(row)
    for cell in (sheet["A1"], sheet["A2"], sheet["A6"]):
        cell.font = Font(bold=True, size=14 if cell.row == 6 else 12)
    header = ["No.", "Part number", "Specification", "HS code", "Origin", "Quantity", "Unit"]
    if context["with_prices"]:
        header += [f"Unit price ({order.currency})", f"Amount ({order.currency})"]
    else:
        header += ["Cartons", "Carton size", "N.W. (kg)", "G.W. (kg)", "CBM"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    units = set()
    for line in context["lines"]:
        raw = line["raw"]
        units.add(line["unit"])
        row = [line["number"], raw.part_number, raw.specification, line["hs_code"]]
        row += [line["origin"], raw.quantity, line["unit"]]
        if context["with_prices"]:
            row += [raw.unit_price, money(raw.amount)]
        else:
            row += [raw.cartons, line["carton_size"], raw.net_weight, raw.gross_weight]
            row += [line["cbm_value"]]
        sheet.append(row)
    if context["with_prices"]:
        sheet.append(["", "", "", "", "", "", "", "Total", money(order.total)])
    else:
        lines = [line["raw"] for line in context["lines"]]
        quantity = sum(line.quantity for line in lines) if len(units) == 1 else None
        sheet.append(
            ["", "Total", "", "", "", quantity, next(iter(units)) if quantity is not None else ""]
            + [sum(line.cartons or 0 for line in lines) or None, ""]
            + [_total(line.net_weight for line in lines)]
            + [_total(line.gross_weight for line in lines), context["total_cbm_value"]]
        )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.append([])
    if context["with_prices"]:
        sheet.append(["In words", context["total_words"]])
        sheet.append(["大写", context["total_chinese"]])
    sheet.append(["Payment terms", order.payment_terms])
    if context["with_prices"]:
        sheet.append(["Bank details", company["bank"]])
    if order.packaging_requirements:
        sheet.append(["Packaging", order.packaging_requirements])
    if context["with_shipping"] and order.shipping_marks:
        sheet.append(["Shipping marks", order.shipping_marks])
    if order.notes:
        sheet.append(["Notes", order.notes])
    if context["with_prices"] and company["terms"]:
        sheet.append(["Terms", company["terms"]])
    widths = (12, 22, 36, 12, 8, 12, 8, 16, 16, 12, 12, 10)
    for column, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _saved(book, document.kind)


def _total(values) -> Decimal | None:
    """The sum of the known values, None when none is known (an empty cell, not 0)."""
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def _saved(book, what: str) -> bytes:
    out = io.BytesIO()
    try:
        book.save(out)
    except Exception as error:
        raise DocumentError(
            _("The %(document)s could not be written as Excel: %(reason)s")
            % {"document": what, "reason": error}
        ) from error
    return out.getvalue()


def _iso(day) -> str:
    return day.isoformat() if day else ""


def tiers(lines: list[dict]) -> list[dict]:
    """Quotation lines grouped by item and specification: each group's quantity tiers."""
    groups: list[dict] = []
    for line in lines:
        key = (line["item"], line["specification"])
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "item": key[0], "specification": key[1], "tiers": []})
        groups[-1]["tiers"].append(
            {
                "quantity": format_quantity(Decimal(line["quantity"])),
                "unit": unit_name(line["unit"]),
                "unit_price": format_price(Decimal(line["unit_price"])),
            }
        )
    return groups


def quotation_pdf(quotation, revision) -> bytes:
    """A quotation revision as PDF (from the revision's frozen content)."""
    snapshot = revision.snapshot
    context = {
        "company": letterhead(),
        "title": TITLES["QUOTATION"][0],
        "title_zh": TITLES["QUOTATION"][1],
        "quotation": quotation,
        "customer": quotation.project.customer,
        "project": quotation.project,
        "revision": revision,
        "snapshot": snapshot,
        "incoterm": incoterm_text(snapshot["incoterm"], snapshot["incoterm_place"]),
        "incoterm_name": dict(INCOTERMS).get(snapshot["incoterm"], ""),
        "groups": tiers(snapshot["lines"]),
        "units": dict(UNITS),
    }
    with translation.override("en"):
        html = render_to_string("sales/documents/quotation.html", context)
    return _pdf(html, _("quotation"))
