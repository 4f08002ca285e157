"""A code is found however it is typed: in lower case, or in the full-width forms an input
method types (ＲＫ１０３８－１－Ｓ１)."""

import pytest

from tracecode.search.services import search

from .factories import codes_of, family

pytestmark = pytest.mark.django_db


def test_a_code_in_lower_case(alice):
    family(alice)
    found = search(alice, "rk1038-1-s1")
    assert found.mode == "code"
    assert codes_of(found, "order") == ["RK1038-1-S1"]


def test_a_code_in_full_width_letters_and_digits(alice):
    family(alice)
    found = search(alice, "ＲＫ１０３８－１－Ｓ１")
    assert found.mode == "code"
    assert codes_of(found, "order") == ["RK1038-1-S1"]
    assert found.query == "ＲＫ１０３８－１－Ｓ１"  # shown as typed


def test_a_code_in_mixed_case_with_spaces_around(alice):
    family(alice)
    assert codes_of(search(alice, "  Rk1038-2  "), "project") == ["RK1038-2"]


def test_a_prefix_in_lower_case_and_full_width(alice):
    family(alice)
    for typed in ("rk1038-", "ｒｋ１０３８－"):
        found = search(alice, typed)
        assert found.mode == "prefix", typed
        assert sorted(codes_of(found, "project")) == ["RK1038-1", "RK1038-2"]


def test_a_part_number_in_full_width_is_found_as_text(alice):
    family(alice)
    assert codes_of(search(alice, "ＳＰ１００３"), "project") == ["RK1038-1"]


def test_bob_does_not_find_alices_code_in_any_spelling(alice, bob):
    family(alice)
    for typed in ("rk1038-1-s1", "ＲＫ１０３８－１－Ｓ１", "rk1038-"):
        assert search(bob, typed).groups == []
