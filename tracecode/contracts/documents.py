"""A sales contract or amendment as PDF (WeasyPrint) and .xlsx (openpyxl), from its frozen
content; renderers only, like tracecode/sales/documents.py."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tracecode.company.services import letterhead
from tracecode.sales.documents import _pdf, _saved

from .models import Amendment


def _cell_text(text: str) -> str:
    """Free text as a cell may hold it: control characters (which a form or the API may
    pass) left out, since the .xlsx format cannot store them (the PDF shows the text)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


TITLES = {
    "contract": ("SALES CONTRACT", "销售合同"),
    "amendment": ("SUPPLEMENTARY CONTRACT", "补充合同"),
}


def context(record) -> dict:
    amendment = isinstance(record, Amendment)
    contract = record.contract if amendment else record
    content = record.snapshot
    title, title_zh = TITLES["amendment" if amendment else "contract"]
    return {
        "company": letterhead(content["currency"]),
        "title": title,
        "title_zh": title_zh,
        "record": record,
        "contract": contract,
        "amendment": record if amendment else None,
        "content": content,
        "buyer": content["buyer"],
    }


def contract_pdf(record) -> bytes:
    with translation.override("en"):
        html = render_to_string("contracts/contract.html", context(record))
    return _pdf(html, "contract")


def contract_xlsx(record) -> bytes:
    """The contract's lines as numbers, with its terms, for a buyer's system."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = context(record)
    content, company = data["content"], data["company"]
    book = Workbook()
    sheet = book.active
    sheet.title = "Contract"
    rows = [
        [company["name"]],
        [company["name_zh"]],
        [company["address"]],
        [],
        [f"{data['title']} {data['title_zh']}"],
        ["No.", record.code, "Date", record.issued_on.isoformat()],
    ]
    if data["amendment"]:
        rows.append(["To contract", data["contract"].code, "Changes", record.changes])
    rows += [
        ["Seller", company["name"]],
        ["Buyer", f"{data['buyer']['name']} ({data['buyer']['code']})"],
        ["Buyer's address", data["buyer"]["address"]],
        ["Order", content["order"], "Customer PO", content["customer_po"]],
        ["Incoterm", content["incoterm"], "Delivery date", content["delivery_date"]],
        ["Port of loading", content["port_of_loading"]]
        + ["Port of destination", content["port_of_destination"]],
        [],
        ["No.", "Part number", "Specification", "HS code", "Origin", "Quantity", "Unit"]
        + [f"Unit price ({content['currency']})", f"Amount ({content['currency']})"],
    ]
    for row in rows:
        sheet.append(row)
    sheet["A5"].font = Font(bold=True, size=14)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for line in content["lines"]:
        sheet.append(
            [line["number"], line["part_number"], line["specification"], line["hs_code"]]
            + [line["origin"], Decimal(line["quantity"]), line["unit"]]
            + [Decimal(line["unit_price"]), Decimal(line["amount"])]
        )
    sheet.append(["", "", "", "", "", "", "", "Total", Decimal(content["total"])])
    sheet.append([])
    sheet.append(["In words", content["words"]])
    sheet.append(["大写", content["chinese"]])
    sheet.append(["Payment terms", content["payment_terms"]])
    sheet.append(["Bank details", company["bank"]])
    for label, text in (("Packaging", content["packaging"]), ("Inspection", content["inspection"])):
        if text:
            sheet.append([label, _cell_text(text)])
    if company["terms"]:
        sheet.append(["Terms", _cell_text(company["terms"])])
    if data["contract"].clauses:
        sheet.append(["Further clauses", _cell_text(data["contract"].clauses)])
    for column, width in zip("ABCDEFGHI", (12, 22, 36, 12, 8, 12, 8, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _saved(book, "contract")
