"""A chunk's new orders are written together with their lines (Orders.save_rows): whatever the
sheets hold, that saves exactly what saving each row through save_row saves: codes under
their projects, lines linked to parts, totals, history, projects moved on to sampling,
orders entered confirmed by their move."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracecode.codes.services import forget_schemes
from tracecode.registers.tests.factories import make_part
from tracecode.sales import services, workflow
from tracecode.sales.models import Order, OrderEvent, Project, ProjectEvent
from tracecode.sales.tests.factories import line, make_customer, make_order, make_project

from . import both_ways
from .both_ways import flawed
from .helpers import counted, run, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Ref", "Project", "Kind", "State", "Order date", "Customer's delivery date",
          "Confirmed on"]  # fmt: skip
LINES = ["Order", "Part number", "Quantity", "Unit price"]
# RK001-1 is new and has a mass order (RK001-1-M1), RK001-2 is quoting, RK002-1 won; RK003-1
# is the administrator's (alice may not change it). RK001 has a part SP1003 (01-04-001).
GOOD = {
    "Code": st.sampled_from([None] * 6 + ["RK001-1-M1", "RK001-1-S5", "rk001-1-s5",
                                          "RK001-2-M3"]),
    "Project": st.sampled_from(["RK001-1", "rk001-1", "RK001-2", "RK002-1", "RK003-1"]),
    "Kind": st.sampled_from(["sample", "sample", "mass", "processing"]),
    "State": st.sampled_from(["", "", "", "draft", "confirmed"]),
    "Order date": st.sampled_from(["", "2026-11-15"]),
    "Customer's delivery date": st.sampled_from(["2027-03-01", "2027-04-01"]),
    "Confirmed on": st.sampled_from(["", "", "2026-11-20"]),
}  # fmt: skip
BAD = {"Code": "RK009-1-S1", "Project": "RK001-9", "Kind": "boat", "State": "shipped",
       "Customer's delivery date": "2020-01-01"}  # fmt: skip
LINE = st.fixed_dictionaries({
    "Part number": st.sampled_from(["SP1003", "sp1003", "PN-7", "01-04-001"]),
    "Quantity": st.sampled_from([10, "2.5", 1000, 10, -5]),
    "Unit price": st.sampled_from(["1.25", 3, "0.5"]),
})  # fmt: skip
FIRST = {"Code": None, "Project": "RK001-1", "Kind": "sample", "State": "", "Order date": "",
         "Customer's delivery date": "2027-03-01", "Confirmed on": ""}  # fmt: skip
A_LINE = {"Part number": "SP1003", "Quantity": 10, "Unit price": "1.25"}


@st.composite
def orders_of(draw) -> dict:
    """An order row with its lines (a quantity may be wrong: that line fails its row)."""
    row = draw(flawed(GOOD, BAD, clean=30))
    return {**row, "lines": draw(st.lists(LINE, max_size=3))}


def workbook(rows: list[dict]) -> bytes:
    heads, lines = [], []
    for number, row in enumerate(rows):
        ref = f"o{number}"
        heads.append([ref if h == "Ref" else row[h] for h in HEADER])
        lines += [[ref, *(li[h] for h in LINES[1:])] for li in row["lines"]]
    return xlsx(("Orders", [HEADER, *heads]), ("Order lines", [LINES, *lines]))


def world(alice, administrator):
    """Three customers, their projects, a part and an order, as the import finds them."""
    forget_schemes()  # the example before rolled its schemes back
    nordwerk = make_customer(alice, "Nordwerk Automotive GmbH")  # RK001
    kowa = make_customer(alice, "Kowa Seiki K.K.", country="JP")  # RK002
    lyon = make_customer(administrator, "Lyon Précision SARL", country="FR")  # RK003
    make_part(nordwerk, "SP1003")  # 01-04-001
    first = make_project(nordwerk, alice, name="Housing")  # RK001-1
    make_order(first, "mass", user=alice, lines=[line()])  # RK001-1-M1
    workflow.advance(make_project(nordwerk, alice, name="Bracket"), Project.Status.QUOTING)
    services.transition(make_project(kowa, alice), "win", user=alice)  # RK002-1
    make_project(lyon, administrator)  # RK003-1


@example(
    rows=[
        {**FIRST, "lines": [A_LINE, {**A_LINE, "Part number": "PN-7"}]},  # RK001-1-S1
        {**FIRST, "Project": "RK001-2", "lines": [A_LINE]},  # RK001-2-S1: sampling
        {**FIRST, "Code": "RK001-1-S5", "lines": [A_LINE]},
        {**FIRST, "Kind": "mass", "State": "confirmed", "lines": [A_LINE]},  # mass production
        {**FIRST, "Code": "rk001-1-s5", "lines": [{**A_LINE, "Quantity": 20}]},  # updated
        {**FIRST, "Project": "RK002-1", "lines": []},  # won: stays won
        {**FIRST, "Code": "RK001-1-M1", "lines": [A_LINE, A_LINE]},  # its lines replaced
        {**FIRST, "Project": "rk001-1", "lines": [A_LINE]},  # RK001-1-S7
    ],
    keep_good=True, chunk=500, as_manager=False,
)  # fmt: skip
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(orders_of(), min_size=1, max_size=10), keep_good=st.booleans(),
       chunk=st.sampled_from([2, 3, 500]), as_manager=st.booleans())  # fmt: skip
def test_bulk_saves_what_row_by_row_saves(
    rows, keep_good, chunk, as_manager, administrator, alice, monkeypatch
):
    user = administrator if as_manager else alice
    bulk, one_by_one = both_ways.compared(
        "orders",
        user,
        workbook(rows),
        keep_good,
        chunk,
        monkeypatch,
        lambda: world(alice, administrator),
    )
    assert bulk == one_by_one


def test_a_chunk_of_sample_orders_moves_each_project_on_once(alice, administrator):
    world(alice, administrator)
    rows = [{**FIRST, "lines": [A_LINE]}, {**FIRST, "Project": "RK001-2", "lines": [A_LINE]},
            {**FIRST, "lines": [A_LINE, A_LINE]}, {**FIRST, "Project": "RK002-1",
                                                  "lines": [A_LINE]}]  # fmt: skip
    outcome = run("orders", workbook(rows), alice)
    assert outcome.counts() == {"new": 4, "updated": 0, "unchanged": 0, "failed": 0}
    assert [u["code"] for u in outcome.undo] == ["RK001-1-S1", "RK001-2-S1", "RK001-1-S2",
                                                 "RK002-1-S1"]  # fmt: skip
    moves = ProjectEvent.objects.filter(action="sample").order_by("pk")
    assert [(e.project.code, e.from_state, e.to_state) for e in moves] == [
        ("RK001-1", "new", "sampling"), ("RK001-2", "quoting", "sampling")]  # fmt: skip
    statuses = dict(Project.objects.values_list("code", "status"))
    assert statuses == {"RK001-1": "sampling", "RK001-2": "sampling", "RK002-1": "won",
                        "RK003-1": "new"}  # fmt: skip
    assert Project.objects.get(code="RK001-1").version == 2
    order = Order.objects.get(code="RK001-1-S2")
    assert str(order.total) == "25.00" and order.lines.first().part.code == "01-04-001"
    history = OrderEvent.objects.filter(order=order).order_by("pk")
    assert [(e.action, e.data) for e in history] == [
        ("created", {}), ("imported", {"file": "test.xlsx (test)"})]  # fmt: skip


def statements(user, rows) -> int:
    """The statements importing `rows` takes, the orders then rolled back (helpers.counted)."""
    with transaction.atomic(), CaptureQueriesContext(connection) as done:
        outcome = run("orders", workbook(rows), user)
        assert outcome.counts()["new"] == len(rows)
        transaction.set_rollback(True)
    return counted(done)


def test_a_chunk_of_new_orders_costs_the_same_few_statements_however_long(alice, administrator):
    world(alice, administrator)
    rows = [{**FIRST, "Project": ["RK001-1", "RK001-2"][n % 2], "Kind": ["sample", "mass"][n % 2],
             "lines": [A_LINE] * (1 + n % 3)} for n in range(200)]  # fmt: skip
    statements(alice, rows[:1])  # the schemes read once
    assert statements(alice, rows[:100]) == statements(alice, rows)
    with override_settings(IMPORT_BULK=False):  # row by row: many a row
        assert statements(alice, rows) > statements(alice, rows[:100]) + 1000
