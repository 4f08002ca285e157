"""The sheet of a customer with many projects and orders renders a bounded number of rows:
the newest projects, each with its newest orders, and links to all the others."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracecode.customers.views import ORDERS_SHOWN, PROJECTS_SHOWN
from tracecode.testing.factories import make_order, make_project, new_customer
from tracecode.testing.translations import install_pending

pytestmark = pytest.mark.django_db


def sheet(client, customer) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(customer.get_absolute_url()).content.decode()
    return page, len(captured)


def test_a_project_with_many_orders_shows_the_newest_and_links_to_all(client_of, alice):
    customer = new_customer(alice, "Nordwerk GmbH")
    project = make_project(customer, alice)
    orders = [make_order(project) for _ in range(ORDERS_SHOWN + 4)]
    page, _queries = sheet(client_of(alice), customer)
    assert orders[-1].code in page and orders[4].code in page  # the newest, on the sheet
    assert f"{orders[3].code}<" not in page and f"/{orders[3].code}/" not in page
    assert f'href="/everything/{project.code}/"' in page
    assert f"all {ORDERS_SHOWN + 4} orders" in page


def test_many_projects_show_the_newest_and_link_to_the_list(client_of, alice):
    customer = new_customer(alice, "Nordwerk GmbH")
    projects = [make_project(customer, alice, name=f"Part {n}") for n in range(PROJECTS_SHOWN + 2)]
    make_order(projects[-1])
    client = client_of(alice)
    client.get(customer.get_absolute_url())  # the day's ranking is not what is counted
    page, queries = sheet(client, customer)
    assert projects[-1].code in page and f">{projects[0].code}<" not in page
    assert f"/sales/projects/?customer={customer.code}" in page and "All 22 projects" in page
    for project in projects[-4:]:
        make_order(project)
        make_order(project)
    assert sheet(client, customer)[1] == queries  # orders add rows, not queries


def test_the_sheet_says_so_in_chinese(client_of, alice):
    install_pending("pages2")
    customer = new_customer(alice, "Nordwerk GmbH")
    project = make_project(customer, alice)
    for _ in range(ORDERS_SHOWN + 1):
        make_order(project)
    client = client_of(alice)
    page = client.get(customer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert f"全部 {ORDERS_SHOWN + 1} 个订单" in page.decode()
