"""The index is written in the transaction that saves the record: all or nothing."""

import pytest
from django.db import transaction

from tracecode.customers.models import Customer
from tracecode.search.models import Entry, EntryCode
from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db(transaction=True)


class Oops(Exception):
    pass


def test_a_rolled_back_save_leaves_no_entry(alice):
    with pytest.raises(Oops), transaction.atomic():
        customer(alice)
        assert search(alice, "RK1038")  # the entry is there inside the transaction
        raise Oops
    assert not Customer.objects.exists()
    assert not Entry.objects.exists() and not EntryCode.objects.exists()
    assert not search(alice, "Nordwerk")


def test_a_committed_save_is_found(alice):
    with transaction.atomic():
        customer(alice)
    assert search(alice, "Nordwerk")


def test_a_change_is_found_under_the_new_name_only(alice):
    nordwerk = customer(alice)
    nordwerk.company_name = "Rheintal Fluidtech AG"
    nordwerk.save()
    assert search(alice, "Rheintal")
    assert not search(alice, "Nordwerk")
    assert Entry.objects.count() == 1


def test_a_save_that_changes_nothing_searchable_leaves_the_entry_alone(alice):
    nordwerk = customer(alice)
    before = Entry.objects.get()
    nordwerk.save()
    assert Entry.objects.get().pk == before.pk


def test_a_deleted_record_is_no_longer_found(alice):
    nordwerk = customer(alice)
    nordwerk.delete()
    assert not search(alice, "Nordwerk")
    assert not Entry.objects.exists() and not EntryCode.objects.exists()


def test_deleting_a_customer_removes_the_entries_filed_under_it(manager):
    nordwerk = customer(manager)
    entry("mail", "RK1038-1", "Re: RK1038-1", nordwerk)
    nordwerk.delete()
    assert not search(manager, "RK1038-1")
    assert not Entry.objects.exists()


def test_the_full_text_index_follows_a_rollback_too(alice):
    customer(alice)
    with pytest.raises(Oops), transaction.atomic():
        Customer.objects.get().delete()
        assert not search(alice, "Nordwerk")
        raise Oops
    assert search(alice, "Nordwerk")
