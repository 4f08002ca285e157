"""`tracecode search reindex` rebuilds the index from the providers; `query` searches."""

import io

import pytest
from django.core.management import CommandError, call_command

from tracecode.customers.models import Customer
from tracecode.search.models import Entry
from tracecode.search.services import search

from .factories import customer, entry

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_reindex_rebuilds_what_was_lost(alice):
    customer(alice)
    customer(alice, name="Lyon Précision Médicale SARL", code="RK1039")
    Entry.objects.all().delete()
    assert not search(alice, "Lyon")
    output = run("reindex", "--batch", "1")
    assert "customers.customer: 2/2" in output
    assert search(alice, "Lyon") and search(alice, "RK1038")


def test_reindex_catches_changes_made_without_signals(alice):
    customer(alice)
    Customer.objects.update(company_name="Rheintal Fluidtech AG")
    run("reindex")
    assert search(alice, "Rheintal") and not search(alice, "Nordwerk")


def test_reindex_removes_entries_of_records_that_are_gone(manager):
    customer(manager)
    entry("mail", "RK1038-1", "Re: a mail nobody indexes any more", None)
    Customer.objects.filter(code="RK1038").delete()
    run("reindex")
    assert not Entry.objects.exists()


def test_reindex_of_one_model(alice):
    customer(alice)
    Entry.objects.all().delete()
    assert "customers.customer: 1/1" in run("reindex", "--model", "customers.customer")
    assert search(alice, "Nordwerk")


def test_reindex_of_an_unknown_model_says_which_are_known(alice):
    with pytest.raises(CommandError, match="customers.customer"):
        run("reindex", "--model", "sales.nothing")


def test_query_prints_the_results_as_the_user_sees_them(alice, bob):
    customer(alice)
    output = run("query", "RK1038", "--user", "alice")
    assert "Customers (1)" in output and "RK1038" in output and "/customers/RK1038/" in output
    assert "nothing found" in run("query", "RK1038", "--user", "bob")
