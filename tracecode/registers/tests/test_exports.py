"""Each register's list as .xlsx or CSV: the filtered list, only what the user may see, with
columns an import can read back."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tracecode.sales.tests.factories import make_customer

from .factories import make_material, make_part, make_supplier

pytestmark = pytest.mark.django_db


def rows_of(answer):
    text = answer.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_parts_csv_holds_only_the_users_parts(alice, bob, client_of):
    mine = make_part(make_customer(alice), "SP1003", hs_code="8481.90.00")
    make_part(make_customer(bob, "Pacific Aero"), "BRKT-77")
    answer = client_of(alice).get("/registers/parts/?export=csv")
    assert answer["Content-Disposition"].startswith('attachment; filename="parts-')
    rows = rows_of(answer)
    assert rows[0][:6] == ["code", "customer", "customer_part_number", "name", "category", "type"]
    assert [row[0] for row in rows[1:]] == [mine.code]
    assert rows[1][rows[0].index("hs_code")] == "84819000"


def test_the_materials_xlsx_keeps_the_full_name_and_follows_the_filter(alice, client_of):
    make_material("01.01", "CPIDE131218DA1")
    make_material("02.01", "RC0402JR-07910K")
    answer = client_of(alice).get("/registers/materials/?material_class=01&export=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["code", "class", "subclass", "name", "full_name"]
    assert values[1][:5] == [
        "01.01.00001", "01", "01.01", "CPIDE131218DA1",
        "Raw material: adhesive base material - CPIDE131218DA1",
    ]  # fmt: skip
    assert len(values) == 2


def test_the_suppliers_csv_joins_several_values_with_a_bar(alice, client_of):
    base = make_material()
    make_supplier("=cmd|' /C calc'!A0", materials=[base], subclasses=["01.01", "01.03"])
    rows = rows_of(client_of(alice).get("/registers/suppliers/?export=csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["materials"], row["subclasses"]) == ("01.01.00001", "01.01|01.03")
    assert row["name"].startswith("'=")  # never run as a formula by a spreadsheet
