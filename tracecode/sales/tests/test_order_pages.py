"""Long lists read a page by the list's index: "Next" starts after the last row shown (keyset),
a page asked for by number skips ids; both give the same rows."""

import datetime
import re

import pytest

from tracecode.core.paging import KeyedPaginator
from tracecode.sales.models import Order

from .factories import make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(alice, bob):
    """Seven orders of alice's, three of them on the same day, and one of bob's."""
    project = make_project(make_customer(alice))
    for day in (1, 2, 3, 3, 3, 4, 5):
        make_order(project, ordered_on=datetime.date(2026, 5, day))
    make_order(make_project(make_customer(bob, name="Bob's")), ordered_on=datetime.date(2026, 5, 3))


def walk_by_next(queryset, per_page):
    pages, after, number = [], None, 1
    while True:
        page = KeyedPaginator(queryset, per_page, after=after).get_page(number)
        pages.append([o.code for o in page])
        if not page.has_next():
            return pages
        after, number = page.next_key, number + 1


def test_next_gives_the_pages_that_numbers_give(orders, alice):
    visible = Order.objects.visible_to(alice)
    by_number = [[o.code for o in KeyedPaginator(visible, 2).get_page(n)] for n in range(1, 5)]
    assert walk_by_next(visible, 2) == by_number
    assert sum(len(p) for p in by_number) == 7  # bob's order is not among them
    ordered = [o.code for o in visible]
    assert [c for p in by_number for c in p] == ordered


def test_a_bad_key_falls_back_to_the_page_number(orders, alice):
    visible = Order.objects.visible_to(alice)
    expected = [o.code for o in KeyedPaginator(visible, 2).get_page(2)]
    for key in ("nonsense", "2026-13-01~5", "2026-05-03", "~"):
        assert [o.code for o in KeyedPaginator(visible, 2, after=key).get_page(2)] == expected


def test_the_orders_list_links_its_next_page_by_the_last_order_shown(orders, alice, client_of):
    Order.objects.update(kind="sample")
    client = client_of(alice)
    for n in range(50):  # two pages of orders
        Order.objects.create(project=Order.objects.first().project, code=f"X{n}", kind="mass",
                             ordered_on=datetime.date(2026, 4, 1), delivery_date=datetime.date(
                                 2026, 6, 1))  # fmt: skip
    first = client.get("/sales/").content.decode()
    link = re.search(r'href="\?(page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "after=" in link
    by_key = client.get(f"/sales/?{link}").context["page"]
    by_number = client.get("/sales/?page=2").context["page"]
    assert [o.code for o in by_key] == [o.code for o in by_number] and len(by_key) == 7
