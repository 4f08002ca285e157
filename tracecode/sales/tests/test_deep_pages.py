"""A salesperson's deep page of the orders costs about what the first page costs: the list
reads their orders through the projects they may see (a subquery of ids read first), not
everyone's orders joined to their customers one by one and skipped."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracecode.core.paging import KeyedPaginator
from tracecode.sales.lists import filter_orders
from tracecode.sales.models import Order

from .factories import make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


def orders_of(owner, n: int, shared_with=()) -> list[Order]:
    project = make_project(
        make_customer(owner, name=f"Customer of {owner}", shared_with=shared_with)
    )
    return [make_order(project) for _ in range(n)]


def test_the_list_holds_exactly_the_orders_each_user_may_see(alice, bob, manager, viewer):
    alices = orders_of(alice, 3)
    shared = orders_of(bob, 2, shared_with=[alice, viewer])
    bobs = orders_of(bob, 2)
    everyone = {o.pk for o in alices + shared + bobs}
    expected = {
        alice: {o.pk for o in alices + shared}, bob: {o.pk for o in shared + bobs},
        viewer: {o.pk for o in shared}, manager: everyone, AnonymousUser(): set(),
    }  # fmt: skip
    for user, pks in expected.items():
        assert set(filter_orders(user, {}).values_list("pk", flat=True)) == pks, user
        assert pks == set(Order.objects.visible_to(user).values_list("pk", flat=True))


def test_a_page_of_ids_reads_no_customer_row_per_order(alice, bob):
    orders_of(alice, 4)
    orders_of(bob, 4)
    paginator = KeyedPaginator(filter_orders(alice, {}), 2)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(2)
    ids = next(q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"].upper())
    assert len(page) == 2
    # The orders are narrowed by the ids of alice's projects before they are ordered: no join
    # of every order to its project and customer.
    read, narrowed = ids.upper().split(" WHERE ", 1)
    assert "JOIN" not in read and narrowed.startswith('"SALES_ORDER"."PROJECT_ID" IN (SELECT')


def test_sqlite_reads_the_page_from_the_index_of_the_projects_orders(alice, bob):
    orders_of(alice, 4)
    orders_of(bob, 4)
    ids = filter_orders(alice, {}).values_list("pk", flat=True)[50:100]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":  # PostgreSQL plans by its statistics: bench/pages.py
            return
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "COVERING INDEX order_project_list (project_id=?)" in plan, plan
    assert "SCAN sales_order" not in plan, plan


def test_a_deep_page_reads_as_many_queries_as_page_1(client_of, alice, bob):
    orders_of(alice, 53)
    orders_of(bob, 3)
    client = client_of(alice)
    client.get("/sales/")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page.count('class="code"')

    first, deep = queries("/sales/"), queries("/sales/?page=200")  # the last page there is
    assert first[0] == deep[0]


def test_a_relation_off_the_way_to_the_customer_is_refused(alice):
    with pytest.raises(ValueError):
        Order.objects.visible_through(alice, "from_revision")
