"""Entries of the communication log are found by their notes, by those who see the customer."""

import datetime

import pytest

from tracecode.customers import services
from tracecode.customers.models import Channel, Communication, Direction
from tracecode.customers.tests.factories import new_customer
from tracecode.search.services import search

pytestmark = pytest.mark.django_db

NOTE = (
    "Call with Jonas Weber: the flange tolerance is acceptable, mass order expected in May. "
    "王经理下周来工厂验货。"
)


def log(customer, user, summary=NOTE):
    entry = Communication(
        channel=Channel.CALL,
        direction=Direction.INCOMING,
        date=datetime.date(2026, 3, 12),
        summary=summary,
    )
    return services.log_communication(entry, customer=customer, user=user)


def hits(user, query):
    return [(hit.kind, hit.code) for group in search(user, query).groups for hit in group.hits
            if group.kind == "log"]  # fmt: skip


def test_a_note_is_found_by_its_words(alice):
    customer = new_customer(alice)
    log(customer, alice)
    assert hits(alice, "mass order expected") == [("log", customer.code)]
    assert hits(alice, "验货") == [("log", customer.code)]


def test_a_note_is_found_under_its_customers_code(alice):
    customer = new_customer(alice)
    log(customer, alice)
    assert hits(alice, customer.code) == [("log", customer.code)]


def test_an_edited_note_is_found_by_its_new_words(alice):
    customer = new_customer(alice)
    entry = log(customer, alice)
    entry.summary = "Visit postponed to June"
    entry.save()
    assert hits(alice, "postponed") == [("log", customer.code)]
    assert hits(alice, "mass order expected") == []


def test_bob_does_not_find_alices_note(alice, bob):
    customer = new_customer(alice)
    log(customer, alice)
    for query in ("mass order expected", "验货", "王", customer.code):
        assert hits(bob, query) == []
