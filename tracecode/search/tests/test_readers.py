"""Whoever may read a customer finds its entries, right after a handover, a share or an
unshare, however it was made; whoever no longer may, does not (PostgreSQL's kind indexes hold
who may read each entry: it must follow in the same transaction)."""

import pytest
from django.db import connection

from tracecode.customers.models import Customer, CustomerShare
from tracecode.customers.services import set_sharing

from .factories import family

pytestmark = pytest.mark.django_db

# A customer name, a word of a mail body, 1–2 Chinese characters, a phrase of a title.
QUERIES = ["Nordwerk", "Ningbo", "样品", "sample shipment"]


def finds(user) -> bool:
    from tracecode.search.services import search

    return all(search(user, query) for query in QUERIES)


def finds_nothing(user) -> bool:
    from tracecode.search.services import search

    return not any(search(user, query) for query in QUERIES)


def readers(customer) -> list[set[int]]:
    """Who each of the customer's entries says may read it (PostgreSQL; [] on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT readers FROM search_entry WHERE customer_id = %s", [customer.pk])
        return [set(row[0]) for row in cursor.fetchall()]


def assert_readers(customer, *users) -> None:
    found = readers(customer)
    if connection.vendor == "postgresql":
        assert found and all(r == {user.pk for user in users} for r in found), found


def test_a_customer_handed_over_to_bob_is_found_by_bob_and_no_longer_by_alice(alice, bob, manager):
    nordwerk = family(alice)
    assert finds(alice) and finds_nothing(bob)
    set_sharing(nordwerk, user=manager, owner=bob, shared_with=[])
    assert finds(bob) and finds_nothing(alice)
    assert_readers(nordwerk, bob)


def test_alice_shares_her_customer_with_bob_then_takes_it_back(alice, bob):
    nordwerk = family(alice)
    set_sharing(nordwerk, user=alice, owner=alice, shared_with=[bob])
    assert finds(bob) and finds(alice)
    assert_readers(nordwerk, alice, bob)
    set_sharing(nordwerk, user=alice, owner=alice, shared_with=[])
    assert finds_nothing(bob) and finds(alice)
    assert_readers(nordwerk, alice)


def test_a_handover_by_a_queryset_update_is_followed_too(alice, bob):
    nordwerk = family(alice)
    Customer.objects.filter(pk=nordwerk.pk).update(owner=bob)
    assert finds(bob) and finds_nothing(alice)
    assert_readers(nordwerk, bob)


def test_a_share_written_directly_is_followed_too(alice, bob):
    nordwerk = family(alice)
    share = CustomerShare.objects.create(customer=nordwerk, user=bob)
    assert finds(bob)
    share.delete()
    assert finds_nothing(bob) and finds(alice)
    assert_readers(nordwerk, alice)


def test_entries_written_after_a_share_are_found_by_whom_it_is_shared_with(alice, bob):
    nordwerk = family(alice, shared_with=[bob])
    assert finds(bob)
    assert_readers(nordwerk, alice, bob)
