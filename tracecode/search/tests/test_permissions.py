"""Nobody finds what they may not see: not in results, not in counts, not through the API."""

import pytest

from tracecode.search.services import search

from .factories import customer, entry, family

pytestmark = pytest.mark.django_db

QUERIES = ["RK1038", "RK1038-1", "RK1038-1-S1", "RK1038-", "1038-1", "Nordwerk", "SP1003",
           "样品已发货", "RK", "Ningbo"]  # fmt: skip


def test_bob_finds_nothing_of_alices_customer(alice, bob):
    family(alice)
    for query in QUERIES:
        assert not search(bob, query), query


def test_bobs_counts_tell_nothing_of_alices_customer(alice, bob):
    family(alice)
    customer(bob, name="Nordwerk Hydraulics AB", code="RK1040")
    entry("project", "RK1040-1", "SP1003 copy for Bob", None)
    found = search(bob, "nordwerk")
    assert [(g.kind, g.count) for g in found.groups] == [("customer", 1)]
    assert search(bob, "SP1003").total == 0


def test_alice_finds_her_customer(alice):
    family(alice)
    assert all(search(alice, query) for query in QUERIES)


def test_a_shared_customer_is_found_by_whom_it_is_shared_with(alice, bob, viewer):
    family(alice, shared_with=[bob, viewer])
    assert search(bob, "RK1038").total == 7
    assert search(bob, "RK1038-").total == search(alice, "RK1038-").total > 0
    assert search(viewer, "Nordwerk")


def test_managers_and_administrators_find_everything(alice, manager, administrator):
    family(alice)
    entry("mail", "", "Unfiled mail about Nordwerk", None)
    for user in (manager, administrator):
        assert search(user, "RK1038").total == 7
        assert search(user, "Unfiled mail")


def test_an_entry_without_a_customer_is_for_managers_only(alice, bob, manager):
    entry("mail", "", "Unfiled mail from the forwarder", None)
    assert not search(alice, "forwarder")
    assert not search(bob, "forwarder")
    assert search(manager, "forwarder")


def test_an_inactive_user_finds_nothing(alice):
    family(alice)
    alice.is_active = False
    alice.save()
    assert not search(alice, "RK1038")
