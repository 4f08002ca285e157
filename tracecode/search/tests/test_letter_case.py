"""Words match in any letter case, accented and non-Latin letters included, however old the
entry (each database's rest of a kind is searched here too: the windows are made tiny)."""

import pytest

from tracecode.search.backends import postgresql, sqlite
from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_windows(monkeypatch):
    monkeypatch.setattr(postgresql, "WINDOW", 2)
    monkeypatch.setattr(sqlite, "WINDOW", 2)


def company(owner):
    nordwerk = customer(owner)
    entry("mail", "RK1038-1", "Re: Angebot", nordwerk, text="Grüße von MÜLLER Präzisionsteile")
    entry("mail", "RK1038-1", "Re: Ωmega", nordwerk, text="ΑΛΦΑ flanges, Société Générale")
    for n in range(6):
        entry("mail", "RK1038-1", f"Re: shipment {n}", nordwerk, text="Shipping schedule")
    return nordwerk


def titles(user, query):
    return [hit.title for group in search(user, query).groups for hit in group.hits]


@pytest.mark.parametrize("typed", ["müller", "Müller", "MÜLLER", "präzision", "PRÄZISIONSTEILE"])
def test_german_in_any_case(alice, typed):
    company(alice)
    assert titles(alice, typed) == ["Re: Angebot"]


@pytest.mark.parametrize("typed", ["société", "SOCIÉTÉ", "générale", "αλφα", "ωmega"])
def test_french_and_greek_in_any_case(alice, typed):
    company(alice)
    assert titles(alice, typed) == ["Re: Ωmega"]


def test_ascii_in_any_case(alice):
    company(alice)
    assert titles(alice, "FLANGES société") == ["Re: Ωmega"]
    assert len(titles(alice, "SHIPPING schedule")) == 6


def test_bob_does_not_find_them(alice, bob):
    company(alice)
    for typed in ("müller", "SOCIÉTÉ", "shipping"):
        assert titles(bob, typed) == []
