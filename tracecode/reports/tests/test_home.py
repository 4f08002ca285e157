"""The home page by role: a sales person's own figures, a manager's team side by side."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tracecode.reports import figures, services
from tracecode.sales.tests.factories import make_order

from .helpers import confirmed, customer, project

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture
def team(alice, bob, manager):
    mine = customer(alice, "Alice's customer", next_step="Call", next_step_due=days(-1))
    customer(alice, "Coming", next_step="Visit", next_step_due=days(3))
    confirmed(project(mine), today().replace(day=1), "1000", "CNY", payment_due_on=today(),
              delivery_date=days(10))  # fmt: skip
    late = confirmed(project(mine, "SP2"), days(-60), "100", "USD", payment_due_on=days(-5))
    theirs = customer(bob, "Bob's customer")
    make_order(project(theirs), "sample", delivery_date=days(30))  # a draft
    services.set_target(alice, today(), user=manager, order_value=Decimal("4000"),
                        new_customers=1, leads_followed=1)  # fmt: skip
    return late


def test_a_sales_person_sees_their_pipeline_follow_ups_shipping_money_and_target(team, alice):
    board = figures.dashboard(alice)
    assert not board.team and board.people is None
    assert board.open_enquiries == 2  # bob's is not hers
    assert [c.company_name for c in board.follow_ups_due] == ["Alice's customer"]
    assert [c.company_name for c in board.follow_ups_coming] == ["Coming"]
    assert board.to_ship_count == 2 and board.overdue_count == 1
    assert board.overdue_total == Decimal("710.00")
    assert board.this_month == {"value": Decimal("1000.00"), "target": Decimal("4000.00"),
                                "rate": Decimal("25.0")}  # fmt: skip


def test_a_manager_sees_the_team_with_each_salesperson_beside_the_others(team, manager):
    board = figures.dashboard(manager)
    people = {r["salesperson"]: r for r in board.people.rows}
    assert people["Alice"]["enquiries"] == 2 and people["Bob"]["enquiries"] == 1
    assert people["Alice"]["overdue"] == Decimal("710.00")
    assert people["Alice"]["order_value_rate"] == Decimal("25.0")
    assert board.people.total["enquiries"] == 3 and board.open_enquiries == 3


def test_the_home_page_shows_it_in_both_languages(team, client_of, alice, manager):
    page = client_of(alice).get("/").content.decode()
    assert "Open enquiries" in page and 'data-figure="overdue">710.00' in page
    assert 'id="chart-pipeline"' in page and "Each salesperson" not in page
    client = client_of(manager)
    assert "Each salesperson" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = client.get("/").content.decode()
    assert "未结询盘" in chinese and "各销售员" in chinese


def test_the_home_page_costs_the_same_queries_for_a_bigger_team(
    team, client_of, manager, django_assert_max_num_queries
):
    client = client_of(manager)
    client.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get("/")
    from conftest import make_user

    for n in range(4):
        person = make_user(f"sales{n}", "sales")
        c = customer(person, f"Customer {n}", next_step_due=days(-1))
        confirmed(project(c), days(-3), "10", "CNY", payment_due_on=days(-1))
    with django_assert_max_num_queries(len(small)):
        client.get("/")
