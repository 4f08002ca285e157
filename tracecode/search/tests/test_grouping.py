"""Results come grouped by kind, in a fixed order, each group with its count."""

import pytest

from tracecode.search import kinds
from tracecode.search.services import search

from .factories import entry, family, kinds_of

pytestmark = pytest.mark.django_db


def test_groups_follow_the_fixed_order_of_kinds(alice):
    nordwerk = family(alice)
    entry("contact", "RK1038-C01", "Jonas Weber", nordwerk)
    entry("complaint", "RK1038-1-S1", "Complaint: scratches", nordwerk)
    entry("file", "RK1038-1-S1", "RK1038-1-S1 drawing.pdf", nordwerk)
    entry("quotation", "RK1038-1-Q1", "Quotation RK1038-1-Q1", nordwerk)
    order = kinds.names()
    found = kinds_of(search(alice, "RK1038"))
    assert found == sorted(found, key=order.index)
    assert found[0] == "customer" and found[-1] == "contact"


def test_each_group_counts_its_matches_beyond_the_hits_shown(alice):
    nordwerk = family(alice)
    for n in range(7):
        entry("mail", "RK1038-1", f"Re: drawing question {n}", nordwerk)
    found = search(alice, "drawing question", limit=3)
    (mails,) = found.groups
    assert (mails.kind, mails.count, mails.more, len(mails.hits)) == ("mail", 7, False, 3)
    assert mails.count_text == "7"


def test_newest_first_within_a_group(alice):
    nordwerk = family(alice)
    for n in range(3):
        entry("mail", "RK1038-1", f"Re: drawing question {n}", nordwerk)
    titles = [hit.title for hit in search(alice, "drawing question").groups[0].hits]
    assert titles == ["Re: drawing question 2", "Re: drawing question 1", "Re: drawing question 0"]


def test_one_kind_only(alice):
    family(alice)
    found = search(alice, "RK1038", kind="order")
    assert kinds_of(found) == ["order"]


def test_a_kind_no_provider_declared_is_shown_last_as_other(alice):
    nordwerk = family(alice)
    entry("telex", "RK1038-1", "Telex: RK1038-1 photos", nordwerk)
    found = search(alice, "RK1038-1")
    assert found.groups[-1].kind == "other"
    assert str(found.groups[-1].label) == "Other"
    assert found.groups[-1].hits[0].kind == "telex"
