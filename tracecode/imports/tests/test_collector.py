"""An import runs with Python's collector at ease (engine.GC_THRESHOLD) and leaves it as it
found it, even when the import fails."""

import gc

import pytest

from tracecode.imports import engine

from .helpers import run, xlsx

pytestmark = pytest.mark.django_db


def customers(*rows) -> bytes:
    return xlsx(("Customers", [["Code", "Company name", "Country"], *rows]))


def test_the_collector_runs_less_often_during_an_import_and_as_before_after_it(
    administrator, monkeypatch
):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen = []
    save_rows = engine._save_chunk
    monkeypatch.setattr(engine, "_save_chunk", lambda *args: seen.append(gc.get_threshold())
                        or save_rows(*args))  # fmt: skip
    assert run("customers", customers([None, "Nordwerk GmbH", "DE"]), administrator).committed
    assert seen == [(max(engine.GC_THRESHOLD, before[0]), *before[1:])]
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)


def test_a_failing_import_leaves_the_collector_as_it_was(administrator, monkeypatch):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    monkeypatch.setattr(engine, "_run_chunk", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run("customers", customers([None, "Nordwerk GmbH", "DE"]), administrator)
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)
