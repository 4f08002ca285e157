"""The customers list, the customer sheet, the customers API and the orders list read a page
in a number of queries that does not grow with the rows they show."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tracecode.customers.models import (
    Background,
    BusinessStatus,
    Communication,
    Contact,
    CustomerSource,
)
from tracecode.testing.factories import industry

from .factories import line, make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


def archive(owner, others, n: int):
    """`n` customers of `owner`, with an industry, background, source and status, each with a
    main contact, a log entry, a share and two orders,
    the first of them with two orders more."""
    first = None
    lists = {"industry": industry()}
    for model, name in ((Background, "background"), (CustomerSource, "source"),
                        (BusinessStatus, "status")):  # fmt: skip
        lists[name] = model.objects.first()
    for i in range(n):
        customer = make_customer(owner, name=f"Customer {i}", shared_with=others, **lists)
        Contact.objects.create(customer=customer, code=f"{customer.code}-C01", name="Li",
                               is_main=True)  # fmt: skip
        Communication.objects.create(customer=customer, channel="mail", direction="in",
                                     date=datetime.date(2026, 3, 4), summary="Asked",
                                     created_by=owner)  # fmt: skip
        project = make_project(customer)
        for _ in range(2 if i else 4):
            make_order(project, "sample", lines=[line(), line(part="SP1004")])
        first = first or customer
    return first


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


PAGES = ["/customers/", "/customers/?sort=-last_contact", "/customers/?contribution=A",
         "/api/customers/?limit=50", "/sales/", "/sales/?page=2"]  # fmt: skip


@pytest.mark.parametrize("who", ["manager", "alice"])
def test_list_pages_read_the_same_number_of_queries_for_3_and_30_rows(who, request, alice, bob,
                                                                       manager, client_of,
                                                                       token_of):  # fmt: skip
    user = request.getfixturevalue(who)
    client = client_of(user)
    api = Client(HTTP_AUTHORIZATION=token_of(user))
    first = archive(alice, [bob], 3)
    # The day's first page ranks the classes and a token's first use is written down: those
    # are not what is counted here.
    counts(client, api, first)
    small = counts(client, api, first)
    archive(alice, [bob], 27)
    large = counts(client, api, first)
    print(who, large)
    assert large == small
    assert max(large.values()) <= 60, large


def counts(client, api, first) -> dict:
    found = {url: queries(api if "/api/" in url else client, url) for url in PAGES}
    found["sheet"] = queries(client, first.get_absolute_url())
    return found
