"""A code finds its record and everything filed under it; a prefix or part of a code too."""

import pytest

from tracecode.search.services import search

from .factories import codes_of, entry, family, kinds_of

pytestmark = pytest.mark.django_db


def test_a_customer_code_finds_the_customer_and_everything_below_it(alice):
    family(alice)
    found = search(alice, "RK1038")
    assert found.mode == "code"
    assert kinds_of(found) == ["customer", "project", "order", "document", "mail"]
    assert codes_of(found, "customer") == ["RK1038"]
    assert sorted(codes_of(found, "project")) == ["RK1038-1", "RK1038-2"]


def test_a_project_code_finds_the_projects_subtree_only(alice):
    family(alice)
    found = search(alice, "RK1038-1")
    assert kinds_of(found) == ["project", "order", "document", "mail"]
    assert codes_of(found, "project") == ["RK1038-1"]
    assert codes_of(found, "order") == ["RK1038-1-S1"]
    assert "RK1038-2-M1" not in codes_of(found)


def test_an_order_code_finds_the_order_and_its_documents(alice):
    family(alice)
    found = search(alice, "RK1038-1-S1")
    assert kinds_of(found) == ["order", "document", "mail"]
    assert [hit.title for hit in found.groups[1].hits] == ["PI RK1038-1-S1"]


def test_the_record_itself_comes_first_in_its_group(alice):
    nordwerk = family(alice)
    entry("project", "RK1038-3", "Mentions RK1038-1 in its title", nordwerk)
    found = search(alice, "RK1038-1")
    assert codes_of(found, "project")[0] == "RK1038-1"


def test_a_code_in_lower_case_is_still_a_code(alice):
    family(alice)
    found = search(alice, "rk1038-1-s1")
    assert found.mode == "code"
    assert codes_of(found, "order") == ["RK1038-1-S1"]


def test_a_mail_that_mentions_a_code_in_its_body_is_found_by_it(alice):
    nordwerk = family(alice)
    entry("mail", "RK1038-2-M1", "Re: mass order", nordwerk, text="Same finish as RK1038-1-S1.")
    found = search(alice, "RK1038-1-S1")
    assert "Re: mass order" in [hit.title for hit in found.groups[-1].hits]


def test_a_code_is_not_found_under_a_longer_code(manager):
    family(manager)
    entry("order", "RK10381-1-S1", "Another customer's order")
    assert "RK10381-1-S1" in codes_of(search(manager, "RK10381"))
    assert "RK10381-1-S1" not in codes_of(search(manager, "RK1038"))


def test_parents_come_from_the_coding_schemes_when_a_provider_leaves_them_out(alice):
    nordwerk = family(alice)
    found = search(alice, "RK1038-1-S1")
    assert found.groups[0].hits[0].parents == ["RK1038", "RK1038-1"]
    assert nordwerk.code == "RK1038"


def test_a_code_prefix_finds_the_codes_that_start_so(alice):
    family(alice)
    found = search(alice, "RK1038-")
    assert found.mode == "prefix"
    assert sorted(codes_of(found, "project")) == ["RK1038-1", "RK1038-2"]
    assert codes_of(found, "customer") == []


def test_a_short_code_prefix_lists_customers_in_code_order(manager):
    for code in ("RK1203", "RK1201", "RK1202"):
        entry("customer", code, f"Customer {code}")
    found = search(manager, "RK120")
    assert found.mode == "prefix"
    assert codes_of(found, "customer") == ["RK1201", "RK1202", "RK1203"]


def test_part_of_a_code_is_found_by_its_characters(alice):
    family(alice)
    found = search(alice, "1038-1")
    assert found.mode == "text"
    assert "RK1038-1" in codes_of(found, "project")
    assert "RK1038-1-S1" in codes_of(found, "order")
    assert "RK1038-2" not in codes_of(found)
