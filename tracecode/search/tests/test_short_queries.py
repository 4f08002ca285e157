"""1–2 characters: the trigram index needs 3, so codes and short titles are searched; 1–2
Chinese characters are found everywhere, through the grams (see test_short_chinese.py)."""

import pytest

from tracecode.search.services import search

from .factories import codes_of, customer, entry, family

pytestmark = pytest.mark.django_db


def test_one_chinese_character_finds_a_contact_by_name(alice):
    nordwerk = family(alice)
    entry("contact", "RK1038-C01", "王伟", nordwerk, text="wang.wei@nordwerk.example")
    found = search(alice, "王")
    assert found.mode == "text"
    assert codes_of(found, "contact") == ["RK1038-C01"]


def test_two_characters_find_a_customer_by_name(alice):
    customer(alice, name="宁波华远汽车零部件有限公司", code="RK1039")
    assert codes_of(search(alice, "华远"), "customer") == ["RK1039"]


def test_two_letters_find_the_codes_that_start_so(alice):
    family(alice)
    found = search(alice, "rk")
    assert codes_of(found, "customer") == ["RK1038"]
    assert sorted(codes_of(found, "project")) == ["RK1038-1", "RK1038-2"]


def test_latin_letters_need_three_characters_in_bodies(alice):
    nordwerk = family(alice)
    entry("mail", "RK1038-1-S1", "Re: bolts", nordwerk, text="M8 bolts, zinc plated")
    assert codes_of(search(alice, "M8"), "mail") == []
    assert codes_of(search(alice, "M8 bolts"), "mail") == ["RK1038-1-S1"]


def test_blank_queries_find_nothing(alice):
    family(alice)
    for query in ("", "   ", None):
        found = search(alice, query)
        assert not found and found.mode == ""
