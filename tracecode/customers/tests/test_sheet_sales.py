"""The sheet shows what sales did for the customer, each code a way into everything about it."""

import pytest

from tracecode.sales.tests.factories import make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


def test_the_sheet_lists_projects_and_orders_with_links(client_of, alice):
    customer = make_customer(alice)
    project = make_project(customer, user=alice, name="SP1003")
    order = make_order(project, user=alice)
    page = client_of(alice).get(customer.get_absolute_url()).content.decode()
    assert f'href="/everything/{project.code}/"' in page
    assert f'href="/everything/{order.code}/"' in page
    assert "SP1003" in page
    assert f'href="/everything/{customer.code}/"' in page


def test_bob_sees_none_of_it(client_of, alice, bob):
    customer = make_customer(alice)
    make_project(customer, user=alice, name="SP1003")
    assert client_of(bob).get(customer.get_absolute_url()).status_code == 404
