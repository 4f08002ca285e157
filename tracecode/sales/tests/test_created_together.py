"""Projects and orders made together (create_projects, create_orders: an import's chunk) get
the codes, parts, totals and history that making them one by one gives."""

import datetime

import pytest

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry, Counter
from tracecode.codes.services import CodingError
from tracecode.registers.tests.factories import make_part
from tracecode.sales import services
from tracecode.sales.models import Order, OrderEvent, Project, ProjectEvent

from .factories import days, line, make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(alice):
    return make_customer(alice), make_customer(alice, "Kowa Seiki K.K.")  # RK001, RK002


def test_projects_made_together_are_coded_as_one_by_one_under_each_customer(alice, customers):
    a, b = customers
    made = services.create_projects(
        [Project(customer=c, name=f"SP{n}") for n, c in enumerate([a, a, b, a])], user=alice
    )
    assert [p.code for p in made] == ["RK001-1", "RK001-2", "RK002-1", "RK001-3"]
    created = ProjectEvent.objects.filter(action="created", by=alice, from_state="new")
    assert sorted(created.values_list("project__code", flat=True)) == sorted(p.code for p in made)
    assert make_project(a).code == "RK001-4"


def test_a_project_made_together_names_the_customers_part_by_its_name(alice, customers):
    part = make_part(customers[0], "SP1003")
    projects = [Project(customer=customers[0], name=" sp1003"),
                Project(customer=customers[1], name="SP1003")]  # fmt: skip
    made = services.create_projects(projects, user=alice)
    assert [p.part for p in made] == [part, None]


def test_nothing_is_made_under_a_cancelled_customer_code(alice, customers):
    a, b = customers
    codes.cancel(b.code)
    projects = [Project(customer=a, name="SP1"), Project(customer=b, name="SP2")]
    with pytest.raises(CodingError, match="cancelled"):
        services.create_projects(projects, user=alice)
    assert not Project.objects.exists()
    assert not Counter.objects.filter(scheme="project").exists()


def test_nothing_is_made_under_a_customer_code_never_registered(alice):
    stray = make_customer(alice, code="RK404")  # saved as it is, not in the registry
    with pytest.raises(CodingError, match="RK404 is not a registered code"):
        services.create_projects([Project(customer=stray, name="SP1")], user=alice)


def test_orders_made_together_are_coded_totalled_and_recorded_as_one_by_one(alice, customers):
    first, second = make_project(customers[0]), make_project(customers[1])
    part = make_part(customers[0], "SP1003")
    orders = [
        services.new_order(p, kind, user=alice, values={"delivery_date": days(30)})
        for p, kind in [(first, "sample"), (first, "mass"), (second, "sample"), (first, "sample")]
    ]
    lines = [[line()], [line("SP2040", "10", "1.5"), line(price="0.01")], [line()], []]
    services.create_orders(orders, lines, user=alice)
    assert [o.code for o in orders] == ["RK001-1-S1", "RK001-1-M1", "RK002-1-S1", "RK001-1-S2"]
    assert make_order(first).code == "RK001-1-S3"
    stored = Order.objects.get(code="RK001-1-M1")
    assert stored.total == orders[1].total == 25  # 10 × 1.50 + 1000 × 0.01
    assert stored.internal_due_date is not None
    assert [li.part for li in Order.objects.get(code="RK001-1-S1").lines.all()] == [part]
    assert OrderEvent.objects.filter(action="created", by=alice).count() == 5
    moved = ProjectEvent.objects.filter(action="sample").order_by("pk")
    assert [(e.project.code, e.from_state) for e in moved] == [("RK001-1", "new"),
                                                              ("RK002-1", "new")]  # fmt: skip
    first.refresh_from_db()
    assert (first.status, first.version) == ("sampling", 2)


def test_orders_made_together_take_their_order_dates_into_a_dated_code(alice, customers):
    codes.load_scheme_file('[scheme.order]\nlabel = "Order"\npattern = "SO{YYYY}{MM}{serial:3}"\n')
    project = make_project(customers[0])
    dates = [datetime.date(2026, 10, 30), datetime.date(2026, 11, 2), datetime.date(2026, 10, 31)]
    orders = [
        services.new_order(project, "mass", user=alice,
                           values={"ordered_on": d, "delivery_date": days(60)})
        for d in dates
    ]  # fmt: skip
    services.create_orders(orders, [[line()]] * 3, user=alice)
    assert [o.code for o in orders] == ["SO202610001", "SO202611001", "SO202610002"]
    assert CodeEntry.objects.get(code="SO202611001").parts["date"] == "2026-11-02"
