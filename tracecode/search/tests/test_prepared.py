"""PostgreSQL runs a sales user's full-text statements prepared, one generic plan per
connection for every user and query of the same shape: whose results a statement gives is
its parameters' business only. Behind PgBouncer in transaction mode nothing is prepared, and
the answers are the same."""

import pytest
from django.db import connection

from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db


def prepared() -> int:
    """Statements this session has prepared (0 on SQLite, which has no such thing)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def codes(user, query) -> list[str]:
    return sorted(hit.code for group in search(user, query).groups for hit in group.hits)


def two_customers(alice, bob):
    nordwerk = customer(alice, name="Nordwerk Automotive GmbH", code="RK1038")
    hangzhou = customer(bob, name="Hangzhou Lianhe Trading", code="RK1039")
    entry("project", "RK1038-1", "stainless bracket, polished", nordwerk)
    entry("project", "RK1039-1", "aluminium bracket, polished", hangzhou)
    entry("mail", "RK1039-1", "Re: bracket drawing", hangzhou, text="polished edges please")


def test_the_same_statement_answers_each_sales_user_with_their_own_hits(alice, bob):
    two_customers(alice, bob)
    for _round in range(3):  # the second round on runs the prepared statements
        assert codes(alice, "bracket polished") == ["RK1038-1"]
        assert codes(bob, "bracket polished") == ["RK1039-1", "RK1039-1"]
        assert codes(alice, "polished") == ["RK1038-1"]
        assert codes(bob, "drawing") == ["RK1039-1"]
    if connection.vendor == "postgresql":
        assert prepared() > 0


def test_behind_pgbouncer_nothing_is_prepared_and_the_answers_are_the_same(alice, bob, monkeypatch):
    two_customers(alice, bob)
    options = {**connection.settings_dict.get("OPTIONS", {}), "prepare_threshold": None}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    before = prepared()
    assert codes(alice, "bracket polished") == ["RK1038-1"]
    assert codes(bob, "bracket polished") == ["RK1039-1", "RK1039-1"]
    assert prepared() == before
