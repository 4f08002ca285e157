"""A chunk's new customers are written together (Customers.save_rows): whatever the sheet
holds, that saves exactly what saving each row through save_row saves, codes included, and
the codes given afterwards follow on without a gap or a code given twice."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracecode.codes.models import CodeEntry, Counter
from tracecode.customers.models import ChangeRecord, Customer
from tracecode.customers.tests.factories import new_customer

from . import both_ways
from .both_ways import flawed
from .helpers import counted, run, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Company name", "Owner", "Country", "City", "Phone", "Industry", "Email",
          "Remark"]  # fmt: skip
# Codes: none, old ones (in lower case too, repeated), that of the customer made before the
# import (RK001), one that blank rows before it may have been given (RK003).
CODES = st.sampled_from([None] * 6 + ["RK005", "rk005", "RK012", "RK1000", "RK001", "RK003"])
NAMES = st.one_of(
    st.sampled_from(["Nordwerk Automotive GmbH", "  nordwerk  AUTOMOTIVE gmbh ",
                     "株式会社コーワ精機", "Kowa Seiki K.K."]),
    st.integers(0, 40).map(lambda n: f"浙江精密机械 {n} 有限公司"),
)  # fmt: skip
GOOD = {
    "Owner": st.sampled_from(["", "", "", "ada", "alice"]),
    "Country": st.sampled_from(["DE", "CN", "中国", "Germany", "jp"]),
    "City": st.sampled_from(["", "杭州", "Stuttgart"]),
    "Phone": st.sampled_from(["", "+49 711 1234567", "+86 571 8888 8888"]),
    "Industry": st.sampled_from(["", "Automotive", "医疗器械"]),
    "Email": st.one_of(st.just(""), st.integers(0, 40).map(lambda n: f"buyer{n}@x.example")),
    "Remark": st.sampled_from(["", "从旧表导入", "=1+1"]),
}
# One cell of a row may be wrong: the row fails, and its chunk is tried row by row.
BAD = {"Code": "XX-12", "Company name": "", "Owner": "nobody", "Country": "ZZ",
       "Phone": "not a phone", "Industry": "nonsense", "Email": "bad"}  # fmt: skip


FIRST = {"Code": None, "Company name": "Nordwerk Automotive GmbH", "Owner": "", "Country": "DE",
         "City": "", "Phone": "+49 711 1234567", "Industry": "Automotive", "Email": "",
         "Remark": ""}  # fmt: skip


def rows_of():
    return flawed({"Code": CODES, "Company name": NAMES, **GOOD}, BAD, clean=40)


def sheet(rows: list[dict]) -> bytes:
    return both_ways.sheet("Customers", HEADER, rows)


@example(
    rows=[
        {**FIRST, "Code": None, "Email": "buyer1@x.example"},  # RK002
        {**FIRST, "Code": "RK005", "Company name": "株式会社コーワ精機"},
        {**FIRST, "Code": None, "Company name": "浙江精密机械 1 有限公司"},  # RK006
        {**FIRST, "Code": "rk002", "City": "杭州"},  # the first row's customer, updated
        {**FIRST, "Code": None, "Company name": "浙江精密机械 2 有限公司", "Owner": "alice"},
    ],
    keep_good=True, chunk=500, as_manager=True,
)  # fmt: skip
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(rows_of(), min_size=1, max_size=12), keep_good=st.booleans(),
       chunk=st.sampled_from([2, 3, 500]), as_manager=st.booleans())  # fmt: skip
def test_bulk_saves_what_row_by_row_saves(
    rows, keep_good, chunk, as_manager, administrator, alice, lists, monkeypatch
):
    user = administrator if as_manager else alice

    def kowa():
        new_customer(alice, "Kowa Seiki K.K.", country="JP", email="info@kowa.example")  # RK001

    bulk, one_by_one = both_ways.compared(
        "customers", user, sheet(rows), keep_good, chunk, monkeypatch, kowa
    )
    assert bulk == one_by_one


def customers(*rows) -> bytes:
    return xlsx(("Customers", [["Code", "Company name", "Country"], *rows]))


def serials() -> list[int]:
    return sorted(CodeEntry.objects.filter(scheme="customer").values_list("serial", flat=True))


def test_codes_given_after_a_bulk_import_follow_on_without_gap_or_reuse(administrator, lists):
    rows = [[None, f"Customer {n}", "DE"] for n in range(5)]
    rows[2][0] = "RK010"  # an old code in the middle: the codes after it follow it
    rows.append(["rk020", "Customer 5", "CN"])  # in lower case, as typed long ago
    rows += [[None, f"Customer {n}", "FR"] for n in range(6, 9)]
    outcome = run("customers", customers(*rows), administrator)
    assert outcome.counts()["new"] == 9 and outcome.committed
    codes = list(Customer.objects.order_by("company_name").values_list("code", flat=True))
    assert codes == ["RK001", "RK002", "RK010", "RK011", "RK012", "RK020", "RK021", "RK022",
                     "RK023"]  # fmt: skip
    assert Counter.objects.get(scheme="customer").last == 23
    assert new_customer(administrator, "After the import GmbH").code == "RK024"
    assert serials() == [1, 2, 10, 11, 12, 20, 21, 22, 23, 24]


def test_a_row_naming_a_code_an_earlier_row_of_its_chunk_was_given_updates_it(administrator, lists):
    rows = [[None, "Nordwerk GmbH", "DE"], ["rk001", "Nordwerk Automotive GmbH", "DE"]]
    outcome = run("customers", customers(*rows), administrator)
    assert outcome.counts() == {"new": 1, "updated": 1, "unchanged": 0, "failed": 0}
    assert Customer.objects.get().company_name == "Nordwerk Automotive GmbH"
    assert serials() == [1]


def test_a_bulk_import_after_another_continues_its_codes(administrator, lists):
    run("customers", customers(*([None, f"First {n}", "DE"] for n in range(3))), administrator)
    new_customer(administrator, "Typed on its page GmbH")  # RK004
    outcome = run("customers", customers(*([None, f"Second {n}", "DE"] for n in range(3))),
                  administrator)  # fmt: skip
    assert [u["code"] for u in outcome.undo] == ["RK005", "RK006", "RK007"]
    assert serials() == list(range(1, 8))


def statements(user, rows) -> int:
    """The statements importing `rows` takes, the customers then rolled back (helpers.counted)."""
    with transaction.atomic(), CaptureQueriesContext(connection) as done:
        outcome = run("customers", customers(*rows), user)
        assert outcome.counts()["new"] == len(rows)
        transaction.set_rollback(True)
    return counted(done)


def test_a_chunk_of_new_customers_costs_the_same_few_statements_however_long(administrator, lists):
    rows = [[f"RK{1000 + n}" if n % 2 else None, f"Customer {n}", "DE"] for n in range(200)]
    statements(administrator, rows[:1])  # the schemes installed and read once
    assert statements(administrator, rows[:100]) == statements(administrator, rows)
    with override_settings(IMPORT_BULK=False):  # row by row: several a row
        assert statements(administrator, rows) > statements(administrator, rows[:100]) + 400


def test_the_history_says_who_created_and_imported_a_customer_of_a_chunk(administrator, lists):
    run("customers", customers(["RK1059", "Customer 59", "DE"], [None, "Customer 60", "DE"]),
        administrator, name="old customers.xlsx")  # fmt: skip
    for code in ("RK1059", "RK1060"):
        history = ChangeRecord.objects.filter(customer__code=code).order_by("pk")
        assert [(h.action, h.new_value, h.changed_by) for h in history] == [
            ("created", f"Customer {code[-2:]}", administrator),
            ("imported", "old customers.xlsx (test)", administrator),
        ]


def test_two_rows_of_a_chunk_naming_one_customer_update_it_one_after_the_other(
    administrator, lists
):
    customer = new_customer(administrator, "Nordwerk GmbH", country="DE")
    rows = [[customer.code, "Nordwerk Automotive GmbH", "DE"], ["rk001", "Nordwerk AG", "DE"]]
    outcome = run("customers", customers(*rows), administrator)
    assert outcome.counts() == {"new": 0, "updated": 2, "unchanged": 0, "failed": 0}
    changes = ChangeRecord.objects.filter(field="company_name").order_by("pk")
    assert [(c.old_value, c.new_value) for c in changes] == [
        ("Nordwerk GmbH", "Nordwerk Automotive GmbH"),
        ("Nordwerk Automotive GmbH", "Nordwerk AG"),
    ]
