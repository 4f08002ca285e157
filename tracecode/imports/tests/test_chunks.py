"""Rows are saved in chunks: one savepoint per chunk, search entries and customer figures
written once at its end, and row by row only when a row of the chunk fails. What is saved is
exactly what saving each row on its own (its own savepoint, indexed at once) saves."""

import contextlib
import re

import pytest
from django.db import models, transaction

from tracecode.codes.models import CodeEntry, Counter
from tracecode.customers.models import ChangeRecord, Contact, Customer, MainContactChange
from tracecode.imports import engine
from tracecode.sales.models import Order, OrderEvent, OrderLine, Project, ProjectEvent
from tracecode.search.models import Entry
from tracecode.search.services import search

from .helpers import run, xlsx

pytestmark = pytest.mark.django_db

COUNTRIES = ["DE", "FR", "US", "CN"]


def customers(count: int, bad: int | None = None):
    rows = [
        [f"RK{1000 + n}", f"Customer {n} GmbH", COUNTRIES[n % 4], f"+49 711 {1000000 + n}",
         f"buyer{n}@customer{n}.example"]
        for n in range(count)
    ]  # fmt: skip
    if bad is not None:
        rows[bad][0] = "XX-12"  # a code the customer scheme never gives: fails when saved
    return xlsx(("Customers", [["Code", "Company name", "Country", "Phone", "Email"], *rows]))


def contacts(count: int):
    rows = [[f"RK{1000 + n // 2}", f"Contact {n}", f"+86 138 {10000000 + n}"] for n in range(count)]
    return xlsx(("Contacts", [["Customer", "Name", "Phone"], *rows]))


def projects(count: int):
    rows = [[f"RK{1000 + n}-1", f"RK{1000 + n}", f"Bracket {n}"] for n in range(count)]
    return xlsx(("Projects", [["Code", "Customer", "Project name"], *rows]))


def orders(count: int):
    heads = [[f"o{n}", f"RK{1000 + n}-1", "sample", "2026-01-15", "2026-03-01"]
             for n in range(count)]  # fmt: skip
    lines = [[f"o{n // 3}", f"PN-{n}", 10 + n, "1.25"] for n in range(3 * count)]
    return xlsx(
        ("Orders", [["Ref", "Project", "Kind", "Order date", "Customer's delivery date"], *heads]),
        ("Order lines", [["Order", "Part number", "Quantity", "Unit price"], *lines]),
    )


@contextlib.contextmanager
def one_by_one(monkeypatch):
    """The engine as it was: every row in its own savepoint, indexed as it is saved."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "CHUNK_ROWS", 1)
        patch.setattr(engine, "_deferred", contextlib.nullcontext)
        yield


def stored(model, *fields):
    """The rows of `model` without ids and times: related records by their code (or name)."""
    names = []
    for field in model._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.DateTimeField):
            continue
        if field.is_relation:
            target = field.related_model
            key = "code" if any(f.name == "code" for f in target._meta.fields) else None
            key = key or ("username" if hasattr(target, "USERNAME_FIELD") else None)
            if key is None:
                continue
            names.append(f"{field.name}__{key}")
        else:
            names.append(field.name)
    rows = model._base_manager.values_list(*(fields or names))
    return sorted(rows, key=repr)


def entries():
    """The search index, pages by their address with the ids taken out."""
    return sorted(
        (e.object_type, e.kind, e.code, e.title, e.text, e.parents, re.sub(r"\d+", "#", e.url),
         e.date, getattr(e.customer, "code", None),
         sorted(c.code for c in e.codes.all()))
        for e in Entry.objects.select_related("customer").prefetch_related("codes")
    )  # fmt: skip


def everything():
    return {
        "customers": stored(Customer),
        "contacts": stored(Contact),
        "history": stored(ChangeRecord),
        "main contacts": stored(MainContactChange),
        "projects": stored(Project),
        "project events": stored(ProjectEvent),
        "orders": stored(Order),
        "order lines": stored(OrderLine),
        "order events": stored(OrderEvent),
        "codes": stored(CodeEntry),
        "counters": stored(Counter, "scheme", "scope", "last"),
        "search": entries(),
    }


def imported(user, files, **options):
    """Import `files` (kind, data) one after the other; what the database holds then, and
    the outcomes. Nothing is kept."""
    with transaction.atomic():
        outcomes = [run(kind, data, user, **options) for kind, data in files]
        found = everything()
        transaction.set_rollback(True)
    return found, outcomes


def test_chunks_save_exactly_what_rows_saved_one_by_one_save(administrator, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 4)
    files = [("customers", customers(10)), ("contacts", contacts(20)),
             ("projects", projects(10)), ("orders", orders(10))]  # fmt: skip
    chunked, outcomes = imported(administrator, files)
    assert not [str(p) for o in outcomes for p in o.problems]
    assert [o.counts()["new"] for o in outcomes] == [10, 20, 10, 10]
    assert len(chunked["order lines"]) == 30 and len(chunked["search"]) == 50
    with one_by_one(monkeypatch):
        alone, _outcomes = imported(administrator, files)
    assert chunked == alone


def test_a_row_failing_in_the_middle_of_a_chunk_is_named_and_nothing_is_kept(
    administrator, monkeypatch
):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 4)
    outcome = run("customers", customers(10, bad=5), administrator)
    assert outcome.counts() == {"new": 9, "updated": 0, "unchanged": 0, "failed": 1}
    assert [(p.sheet, p.row, p.column) for p in outcome.problems] == [("Customers", 7, "Code")]
    assert "XX-12" in outcome.problems[0].message
    assert outcome.failing_rows == {"Customers": [7]}
    assert not outcome.committed
    assert not Customer.objects.exists() and not Entry.objects.exists()


def test_keep_good_keeps_the_other_rows_of_the_failing_chunk_as_one_by_one_would(
    administrator, monkeypatch
):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 4)
    files = [("customers", customers(10, bad=5))]
    chunked, [outcome] = imported(administrator, files, keep_good=True)
    assert outcome.committed and outcome.failed == 1
    assert len(chunked["customers"]) == 9
    assert "'RK1005'" not in repr(chunked["customers"]) and "'RK1006'" in repr(chunked["codes"])
    with one_by_one(monkeypatch):
        alone, [same] = imported(administrator, files, keep_good=True)
    assert chunked == alone
    assert [str(p) for p in same.problems] == [str(p) for p in outcome.problems]


def test_imported_customers_are_found_by_their_codes(administrator, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)
    outcome = run("customers", customers(7), administrator)
    assert outcome.committed
    found = search(administrator, "RK1006")
    assert [hit.code for group in found.groups for hit in group.hits][:1] == ["RK1006"]
