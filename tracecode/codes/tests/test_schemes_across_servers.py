"""Several app servers share one database: a scheme changed through one of them is the scheme
every other one uses from its next request, whatever its clock says; nothing stale stays in a
server's memory."""

import datetime

import pytest
from django.core.signals import request_started
from django.db import close_old_connections
from django.utils import timezone

from tracecode.codes import services
from tracecode.codes.models import Scheme


@pytest.fixture
def new_request():
    """`new_request()`: what a server does as a request comes in (as the test client does,
    keeping the test's database connection open)."""
    request_started.disconnect(close_old_connections)
    yield lambda: request_started.send(sender=None)
    request_started.connect(close_old_connections)


def change_elsewhere(name: str, pattern: str, **fields) -> None:
    """What another server's change leaves in the database (this one is not told)."""
    definition = services.scheme(name).as_dict()
    Scheme.objects.filter(name=name).update(definition={**definition, "pattern": pattern}, **fields)


def test_the_next_request_sees_a_scheme_changed_on_another_server(client_of, alice):
    client = client_of(alice)
    assert services.scheme("customer").pattern == "RK{serial:3+}"  # compiled here
    change_elsewhere("customer", "CU{serial:4+}")

    answer = client.get("/api/codes/schemes").json()
    assert {s["name"]: s["pattern"] for s in answer}["customer"] == "CU{serial:4+}"


def test_a_change_stamped_by_a_clock_behind_ours_is_seen_too(db, new_request):
    services.schemes()
    behind = timezone.now() - datetime.timedelta(days=1)
    change_elsewhere("customer", "CU{serial:4+}", updated_at=behind)

    new_request()
    assert services.scheme("customer").pattern == "CU{serial:4+}"
    assert services.allocate("customer").code == "CU0001"


def test_within_one_request_the_schemes_are_read_once(db, new_request, django_assert_num_queries):
    new_request()
    services.schemes()
    with django_assert_num_queries(0):
        services.schemes()
        services.scheme("order")
