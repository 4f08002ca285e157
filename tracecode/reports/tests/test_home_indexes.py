"""The home page's open orders come off partial indexes of the open orders, not from every
order of the user's projects (issue 23: 156–179 ms p95 at 100,000 orders before, 72–79 after)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tracecode.reports import figures
from tracecode.sales.models import Order
from tracecode.sales.tests.factories import make_order, move
from tracecode.testing.plans import answered_off

from .helpers import confirmed, customer, project, shipped

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def orders(alice):
    mine = project(customer(alice, "Alice's customer"))
    return {
        "draft": make_order(mine, "sample", delivery_date=days(3)),
        "confirmed": confirmed(mine, days(-5), delivery_date=days(3), payment_due_on=days(-1)),
        "in production": move(
            confirmed(mine, days(-5), delivery_date=days(10)), "start_production"
        ),  # fmt: skip
        "later": confirmed(mine, days(-5), delivery_date=days(30)),
        "shipped": shipped(confirmed(mine, days(-40), delivery_date=days(2)), days(-1)),
    }


def test_orders_to_ship_are_the_unshipped_ones_promised_by_the_day(orders):
    found = set(Order.objects.to_ship(days(14)).values_list("pk", flat=True))
    assert found == {orders["confirmed"].pk, orders["in production"].pk}


@pytest.mark.parametrize("who", ["alice", "manager"])
def test_the_open_orders_on_the_home_page_are_read_off_their_own_indexes(orders, who, request):
    user = request.getfixturevalue(who)
    queries = []

    def keep(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        board = figures.dashboard(user)
    assert board.to_ship_count == 2 and board.overdue_count == 1
    to_ship = [q for q in queries if '"sales_order"."delivery_date" <=' in q[0]]
    owing = [q for q in queries if '"sales_order"."payment_due_on" <' in q[0]]
    assert len(to_ship) == 2 and len(owing) == 2  # the counts and the first rows
    assert all(answered_off("sales_order", "order_to_ship", *q) for q in to_ship)
    assert all(answered_off("sales_order", "order_owing", *q) for q in owing)
