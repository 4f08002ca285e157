"""PostgreSQL runs a sales user's full-text, code and code-prefix statements prepared, one
generic plan per connection for every user and query of the same shape: whose results a
statement gives is its parameters' business only. Behind PgBouncer in transaction mode
nothing is prepared, and the answers are the same."""

import pytest
from django.db import connection

from tracecode.customers.services import set_sharing
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


def test_the_same_code_statement_answers_each_sales_user_with_their_own_tree(alice, bob):
    nordwerk = customer(alice, name="Nordwerk Automotive GmbH", code="RK1038")
    hangzhou = customer(bob, name="Hangzhou Lianhe Trading", code="RK1039")
    entry("project", "RK1038-1", "stainless bracket", nordwerk)
    entry("order", "RK1038-1-S1", "Sample order", nordwerk)
    entry("project", "RK1039-1", "aluminium housing", hangzhou)
    entry("mail", "RK1039-1", "Re: RK1038-1 drawing", hangzhou, text="as RK1038-1")
    for _round in range(3):  # the second round on runs the prepared statements
        assert codes(alice, "RK1038-1") == ["RK1038-1", "RK1038-1-S1"]
        assert codes(bob, "RK1038-1") == ["RK1039-1"]  # his mail mentions it
        assert codes(alice, "RK1039-1") == []
        assert codes(bob, "rk1039") == ["RK1039", "RK1039-1", "RK1039-1"]
        assert codes(alice, "RK1038-") == ["RK1038-1", "RK1038-1-S1"]
        assert codes(bob, "RK1038-") == ["RK1039-1"]  # none of his own: his mail's words
    if connection.vendor == "postgresql":
        assert prepared() > 0


def test_a_share_given_or_taken_back_counts_from_the_next_search(alice, bob, manager):
    """What a user may see is asked of the database at every search (only the query that
    asks it is kept between searches)."""
    hangzhou = customer(bob, name="Hangzhou Lianhe Trading", code="RK1039")
    entry("project", "RK1039-1", "aluminium bracket, polished", hangzhou)
    assert codes(alice, "RK1039-1") == codes(alice, "bracket polished") == []
    set_sharing(hangzhou, user=manager, owner=bob, shared_with=[alice])
    assert codes(alice, "RK1039-1") == codes(alice, "bracket polished") == ["RK1039-1"]
    assert codes(alice, "RK1039-") == ["RK1039-1"]
    set_sharing(hangzhou, user=manager, owner=bob, shared_with=[])
    assert codes(alice, "RK1039-1") == codes(alice, "bracket polished") == []
    assert codes(alice, "RK1039-") == []
