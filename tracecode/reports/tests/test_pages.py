"""Every report page in both languages, its .xlsx, and what a page costs in queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tracecode.reports import figures

from .helpers import confirmed, customer, d, project, shipped

pytestmark = pytest.mark.django_db


@pytest.fixture
def some(alice):
    sp = project(customer(alice, '=HYPERLINK("x")', source="website"), received=d("2026-05-01"))
    order = confirmed(sp, d("2026-06-01"), "100", "EUR", payment_due_on=d("2026-06-30"))
    shipped(order, d("2026-06-20"))


@pytest.mark.parametrize("name", list(figures.REPORTS))
def test_each_report_page_shows_charts_and_tables(some, client_of, manager, name):
    response = client_of(manager).get(f"/reports/{name}/?date_from=2026-01-01&date_to=2026-12-31")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'canvas data-chart="chart-' in page and 'type="application/json"' in page
    assert "<table" in page and "<script>" not in page


@pytest.mark.parametrize("name", list(figures.REPORTS))
def test_each_report_reads_in_chinese(some, client_of, manager, name):
    client = client_of(manager)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get(f"/reports/{name}/").content.decode()
    assert "导出 .xlsx" in page and "报表" in page


def test_bad_filters_are_shown_not_computed(client_of, manager):
    page = client_of(manager).get("/reports/orders/?date_from=2026-06-01&date_to=2026-01-01")
    assert page.status_code == 200
    assert "The end of the period must be after its start." in page.content.decode()
    xlsx = client_of(manager).get("/reports/orders.xlsx?date_from=2026-06-01&date_to=2026-01-01")
    assert xlsx.status_code == 302


def test_an_unknown_report_is_404(client_of, manager):
    assert client_of(manager).get("/reports/nonsense/").status_code == 404


def test_the_xlsx_holds_the_pages_numbers_and_no_formula(some, client_of, manager):
    response = client_of(manager).get("/reports/pareto.xlsx?date_from=2026-01-01")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Customers"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Company"] == '\'=HYPERLINK("x")'
    assert Decimal(str(row["Order value (CNY)"])) == Decimal("775.00")
    assert book["Report"]["A1"].value == "A/B/C customers (Pareto)"


QUERY_BUDGET = 12  # every report page, whatever it holds (sign-in and session included)


@pytest.mark.parametrize("name", list(figures.REPORTS))
def test_a_report_page_costs_the_same_queries_with_more_records(client_of, manager, alice,
                                                               name):  # fmt: skip
    client = client_of(manager)
    url = f"/reports/{name}/?date_from=2026-01-01&date_to=2026-12-31"

    def add(n):
        for i in range(n):
            c = customer(alice, f"Customer {i}", source="website")
            order = confirmed(project(c, received=d("2026-03-01")), d("2026-06-01"), "10",
                              "USD", payment_due_on=d("2026-06-15"))  # fmt: skip
            shipped(order, d("2026-06-20"))

    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few) <= QUERY_BUDGET, [q["sql"][:120] for q in more]
