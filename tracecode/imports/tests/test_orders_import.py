"""Orders and their lines as two sheets of one workbook, joined by the order's code (or, for a
new order, by a ref); or as one CSV with a row per line."""

from decimal import Decimal

import pytest

from tracecode.codes.models import CodeEntry
from tracecode.sales.models import Order, OrderEvent
from tracecode.sales.tests.factories import days, make_customer, make_order, make_project

from .helpers import csv_bytes, run, xlsx

pytestmark = pytest.mark.django_db

ORDERS = ["Code", "Ref", "Project", "Kind", "Customer's PO no.", "Customer's delivery date"]
LINES = ["Order", "Part number", "Quantity", "Unit price"]


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice, "Nordwerk Automotive GmbH"), alice)


def workbook(orders, lines):
    return xlsx(("Orders", [ORDERS, *orders]), ("Order lines", [LINES, *lines]))


def test_new_orders_get_their_codes_and_their_lines_by_ref(alice, project):
    due = days(30)
    outcome = run("orders", workbook(
        [[None, "A", project.code, "sample", "PO-1", due],
         [None, "B", project.code, "Mass order", "PO-2", due]],
        [["A", "SP1003", 50, 3.1], ["B", "SP1003", 5000, 2.2], ["B", "SP1004", 100, "1,5"]],
    ), alice)  # fmt: skip
    assert outcome.counts() == {"new": 2, "updated": 0, "unchanged": 0, "failed": 0}
    sample, mass = Order.objects.get(kind="sample"), Order.objects.get(kind="mass")
    assert (sample.code, mass.code) == (f"{project.code}-S1", f"{project.code}-M1")
    assert [(li.part_number, li.quantity) for li in mass.lines.all()] == [
        ("SP1003", Decimal("5000")), ("SP1004", Decimal("100"))]  # fmt: skip
    assert mass.lines.last().unit_price == Decimal("1.5")
    assert mass.total == Decimal("11150.00")
    assert OrderEvent.objects.filter(order=mass, action="imported").exists()


def test_an_old_order_code_is_kept_under_its_project(alice, project):
    code = f"{project.code}-M7"
    run("orders", workbook([[code, None, project.code, "mass", "PO-7", days(30)]],
                           [[code, "SP1003", 10, 2]]), alice)  # fmt: skip
    order = Order.objects.get()
    assert order.code == code and order.lines.count() == 1
    assert CodeEntry.objects.get(code=code).origin == "imported"
    later = make_order(project, "mass")
    assert later.code == f"{project.code}-M8"


def test_a_code_under_another_project_is_refused(alice, project):
    other = make_project(project.customer, alice, name="SP2000")
    outcome = run("orders", workbook([[f"{other.code}-S3", None, project.code, "sample", "",
                                       days(30)]], []), alice)  # fmt: skip
    assert outcome.failed == 1
    assert f"is not a code under {project.code}" in str(outcome.problems[0])


def test_a_bad_line_fails_on_its_own_row_of_the_lines_sheet(alice, project):
    outcome = run("orders", workbook(
        [[None, "A", project.code, "sample", "PO-1", days(30)]],
        [["A", "SP1003", 50, 3.1], ["A", "SP1004", -5, 1]],
    ), alice)  # fmt: skip
    assert outcome.failed == 1
    problem = outcome.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Order lines", 3, "Quantity")
    assert outcome.failing_rows == {"Orders": [2], "Order lines": [2, 3]}
    assert not Order.objects.exists()


def test_a_line_naming_no_order_of_the_file_fails(alice, project):
    outcome = run("orders", workbook(
        [[None, "A", project.code, "sample", "PO-1", days(30)]],
        [["A", "SP1003", 50, 3.1], ["Z", "SP1003", 1, 1]],
    ), alice, keep_good=True)  # fmt: skip
    assert (outcome.new, outcome.failed) == (1, 1)
    assert "No row of the Orders sheet has the code or ref Z" in str(outcome.problems[0])


def test_lines_find_their_order_by_code_or_ref_wherever_they_stand(alice, project):
    """Lines in any order and letter case, by an order's code or its ref; a line naming no
    order fails after the orders, on its own row. (The import reads each order with its
    lines when it saves it: which line is whose is found first from the join cells alone.)"""
    old = f"{project.code}-M7"
    outcome = run("orders", workbook(
        [[old, "X", project.code, "mass", "PO-7", days(30)],
         [None, "A", project.code, "sample", "PO-1", days(30)],
         [None, "A", project.code, "sample", "PO-2", days(30)]],
        [["a", "SP1", 1, 1], [old.lower(), "SP2", 2, 1], [None, "SP5", 5, 1],
         ["X", "SP3", 3, 1], ["A", "SP4", 4, 1]],
    ), alice, keep_good=True)  # fmt: skip
    assert (outcome.new, outcome.failed) == (3, 1)
    mass = Order.objects.get(code=old)
    first, second = Order.objects.filter(kind="sample").order_by("customer_po")
    assert [li.part_number for li in mass.lines.all()] == ["SP2", "SP3"]
    assert [li.part_number for li in first.lines.all()] == ["SP1", "SP4"]
    assert not second.lines.exists()
    [problem] = outcome.problems
    assert (problem.sheet, problem.row, problem.column) == ("Order lines", 4, "Order")
    assert "Name the row of the Orders sheet this line belongs to" in str(problem)


def test_an_existing_order_gets_its_new_lines_and_fields(alice, project):
    order = make_order(project, "sample")
    outcome = run("orders", workbook(
        [[order.code, None, project.code, "sample", "PO-NEW", order.delivery_date]],
        [[order.code, "SP1003", 77, 2.35]],
    ), alice)  # fmt: skip
    assert outcome.updated == 1
    order.refresh_from_db()
    assert order.customer_po == "PO-NEW"
    assert [li.quantity for li in order.lines.all()] == [Decimal("77")]


def test_a_status_is_not_changed_by_an_import(alice, project):
    order = make_order(project, "sample")
    outcome = run("orders", xlsx(("Orders", [["Code", "Status"], [order.code, "shipped"]])),
                  alice)  # fmt: skip
    assert "the status changes by the order's moves" in str(outcome.problems[0])


def test_a_new_order_can_arrive_confirmed(alice, project):
    orders = [
        ORDERS + ["Status", "Confirmed on"],
        [None, "A", project.code, "sample", "", days(30), "confirmed", days(0)],
    ]
    outcome = run("orders", xlsx(("Orders", orders), ("Order lines", [LINES, ["A", "SP", 5, 1]])),
                  alice)  # fmt: skip
    assert outcome.new == 1, outcome.problems
    assert Order.objects.get().state == "confirmed"


def test_one_csv_row_per_line_is_grouped_by_order(alice, project):
    data = csv_bytes([
        ["Code", "Project", "Kind", "Customer's delivery date", "Part number", "Quantity",
         "Unit price"],
        [f"{project.code}-S5", project.code, "sample", days(30).isoformat(), "SP1", "10", "1"],
        [f"{project.code}-S5", project.code, "sample", days(30).isoformat(), "SP2", "20", "2"],
    ])  # fmt: skip
    outcome = run("orders", data, alice, name="orders.csv")
    assert outcome.new == 1, outcome.problems
    assert Order.objects.get().lines.count() == 2


def test_bob_cannot_add_orders_to_alices_project(alice, bob, project):
    outcome = run("orders", workbook([[None, "A", project.code, "sample", "", days(30)]], []),
                  bob)  # fmt: skip
    assert str(outcome.problems[0]).endswith(f"No project {project.code} that you may change.")
    assert not Order.objects.exists()


def test_an_empty_cell_of_a_line_takes_the_pages_default(alice, project):
    outcome = run("orders", xlsx(
        ("Orders", [["Ref", "Project", "Kind", "Customer's delivery date"],
                    ["A", project.code, "sample", "2030-03-01"]]),
        ("Order lines", [["Order", "Part number", "Quantity", "Unit", "Unit price"],
                         ["A", "SP-1", 500, "", 2.5]]),
    ), alice)  # fmt: skip
    assert outcome.failed == 0, [str(p) for p in outcome.problems]
    assert Order.objects.get().lines.get().unit == "pcs"
