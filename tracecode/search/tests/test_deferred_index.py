"""Inside `index.deferred()` (an import's chunk of rows) records are indexed once, together,
when it ends: the same entries as indexing each save, and none when it fails."""

import pytest

from tracecode.search import index
from tracecode.search.models import Entry
from tracecode.search.services import search

from .factories import customer

pytestmark = pytest.mark.django_db


def codes(user, query):
    return [hit.code for group in search(user, query).groups for hit in group.hits]


def test_records_saved_inside_are_found_when_it_ends(alice):
    with index.deferred():
        nordwerk = customer(alice)
        customer(alice, "Rheintal Fluidtech AG", code="RK1039")
        assert not Entry.objects.exists()
    assert codes(alice, "RK1038") == ["RK1038"] and codes(alice, "Rheintal") == ["RK1039"]
    assert Entry.objects.get(object_id=nordwerk.pk).title == "Nordwerk Automotive GmbH"


def test_the_last_save_inside_is_what_is_found(alice):
    nordwerk = customer(alice)
    with index.deferred():
        nordwerk.company_name = "Rheintal Fluidtech AG"
        nordwerk.save()
        assert codes(alice, "Nordwerk") == ["RK1038"]  # still the old entry
    assert codes(alice, "Rheintal") == ["RK1038"] and not codes(alice, "Nordwerk")


def test_a_record_deleted_inside_leaves_no_entry(alice):
    nordwerk = customer(alice)
    with index.deferred():
        nordwerk.company_name = "Rheintal Fluidtech AG"
        nordwerk.save()
        nordwerk.delete()
    assert not Entry.objects.exists()


def test_an_error_inside_indexes_nothing(alice):
    with pytest.raises(ZeroDivisionError), index.deferred():
        customer(alice)
        raise ZeroDivisionError
    assert not Entry.objects.exists()
