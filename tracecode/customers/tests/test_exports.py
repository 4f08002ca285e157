"""The filtered list as .xlsx and CSV, with only the customers the user may see."""

import csv
import io

import pytest
from openpyxl import load_workbook

from .factories import new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(alice, bob):
    new_customer(alice, "Nordwerk Automotive GmbH", country="DE", phone="+49711123456")
    new_customer(alice, '=HYPERLINK("http://evil")', country="FR")
    new_customer(bob, "Osaka Kiki Seisakusho", country="JP")


def test_csv_holds_the_visible_filtered_customers(client_of, alice, customers):
    response = client_of(alice).get("/customers/export.csv?country=DE")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Code", "Company", "Country"]
    assert [r[0] for r in rows[1:]] == ["RK001"]
    assert rows[1][2] == "Germany" and rows[1][11] == "+49 711 123456"


def test_xlsx_holds_the_visible_customers_only(client_of, alice, customers):
    response = client_of(alice).get("/customers/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["RK001", "RK002"]


def test_a_cell_that_looks_like_a_formula_stays_text(client_of, alice, customers):
    response = client_of(alice).get("/customers/export.xlsx?country=FR")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("'=")
    rows = list(csv.reader(io.StringIO(
        client_of(alice).get("/customers/export.csv?country=FR").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert rows[1][1].startswith("'=")


def test_headers_follow_the_users_language(client_of, alice, customers):
    client = client_of(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    rows = list(csv.reader(io.StringIO(
        client.get("/customers/export.csv").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert rows[0][0] == "编码" and rows[1][2] == "德国"


def test_bob_exports_only_his(client_of, bob, customers):
    rows = client_of(bob).get("/customers/export.csv").content.decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith("RK003")


def test_an_unknown_format_is_404(client_of, alice):
    assert client_of(alice).get("/customers/export.pdf").status_code == 404


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_us_phone_number_is_exported_as_it_is_written(client_of, alice, export):
    new_customer(alice, "Pacific Aero Components Inc.", country="US", phone="+14155550100")
    response = client_of(alice).get(f"/customers/export.{export}")
    if export == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        phone = rows[1][11]
    else:
        phone = load_workbook(io.BytesIO(response.content)).active.cell(row=2, column=12).value
    assert phone == "+1 415-555-0100"


def test_a_formula_made_of_phone_characters_and_a_function_stays_quoted(client_of, alice):
    new_customer(alice, "-2+3+cmd|' /C calc'!A0", country="US")
    rows = list(csv.reader(io.StringIO(
        client_of(alice).get("/customers/export.csv").content.decode("utf-8-sig")
    )))  # fmt: skip
    assert rows[1][1].startswith("'-2+3")
