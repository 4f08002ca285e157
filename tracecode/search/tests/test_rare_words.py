"""A word that only old entries hold is found however many newer ones there are, with its
count, and only by those who may see it.

Each database reads a kind newest first for a window (of matches on SQLite, of visible rows on
PostgreSQL), then the rest of a kind whose window held less than a page; the windows are made
tiny here so that both halves answer.
"""

import pytest

from tracecode.search.backends import postgresql, sqlite
from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_windows(monkeypatch):
    monkeypatch.setattr(postgresql, "WINDOW", 3)
    monkeypatch.setattr(sqlite, "WINDOW", 3)


def mails(owner, code="RK1038", name="Nordwerk Automotive GmbH"):
    """Twelve mails: the two oldest speak of passivation and 钝化, the others of shipping."""
    company = customer(owner, name=name, code=code)
    for n in range(12):
        text = "passivation report 钝化 ok" if n < 2 else "shipping schedule 船期"
        entry("mail", f"{code}-1", f"Re: {code} mail {n}", company, text=text)
    return company


def titles(found):
    return [hit.title for group in found.groups for hit in group.hits]


def test_the_oldest_entries_are_found(alice):
    mails(alice)
    found = search(alice, "passivation")
    assert titles(found) == ["Re: RK1038 mail 1", "Re: RK1038 mail 0"]
    assert (found.groups[0].count, found.groups[0].more) == (2, False)


def test_two_characters_in_the_oldest_entries(alice):
    mails(alice)
    assert titles(search(alice, "钝化")) == ["Re: RK1038 mail 1", "Re: RK1038 mail 0"]
    assert titles(search(alice, "钝化 passivation")) == ["Re: RK1038 mail 1", "Re: RK1038 mail 0"]


def test_a_common_word_is_found_newest_first(alice):
    mails(alice)
    found = search(alice, "shipping", limit=3)
    assert titles(found) == ["Re: RK1038 mail 11", "Re: RK1038 mail 10", "Re: RK1038 mail 9"]
    assert found.groups[0].count >= 3


def test_every_hit_is_found_when_a_page_asks_for_all(alice):
    mails(alice)
    found = search(alice, "schedule", limit=100)
    assert len(titles(found)) == 10
    assert found.groups[0].count == 10


def test_bob_finds_only_his_own(alice, bob):
    mails(alice)
    mails(bob, code="RK1039", name="Kowa Seiki")
    assert titles(search(bob, "passivation")) == ["Re: RK1039 mail 1", "Re: RK1039 mail 0"]
    assert titles(search(bob, "钝化")) == ["Re: RK1039 mail 1", "Re: RK1039 mail 0"]
    assert search(bob, "passivation").groups[0].count == 2


def test_a_manager_finds_the_oldest_entries_of_every_customer(alice, bob, manager):
    mails(alice)
    mails(bob, code="RK1039", name="Kowa Seiki")
    for query in ["passivation", "PASSIVATION report", '"report 钝化"', "钝化 vat"]:
        assert titles(search(manager, query)) == [
            "Re: RK1039 mail 1", "Re: RK1039 mail 0", "Re: RK1038 mail 1", "Re: RK1038 mail 0"
        ], query  # fmt: skip
