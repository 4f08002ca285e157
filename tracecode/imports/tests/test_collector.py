"""An import spares Python's collector the objects there before it (engine._collector_spared)
and leaves the collector as it found it, even when the import fails."""

import gc

import pytest

from tracecode.imports import engine

from .helpers import run, xlsx

pytestmark = pytest.mark.django_db


def customers(*rows) -> bytes:
    return xlsx(("Customers", [["Code", "Company name", "Country"], *rows]))


def test_what_was_there_before_an_import_is_not_scanned_during_it(administrator, monkeypatch):
    frozen = gc.get_freeze_count()
    seen = []
    save_chunk = engine._save_chunk
    monkeypatch.setattr(engine, "_save_chunk", lambda *args: seen.append(gc.get_freeze_count())
                        or save_chunk(*args))  # fmt: skip
    assert run("customers", customers([None, "Nordwerk GmbH", "DE"]), administrator).committed
    assert seen and seen[0] > frozen
    assert gc.get_freeze_count() == frozen


def test_a_failing_import_leaves_the_collector_as_it_was(administrator, monkeypatch):
    frozen = gc.get_freeze_count()
    monkeypatch.setattr(engine, "_run_chunk", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run("customers", customers([None, "Nordwerk GmbH", "DE"]), administrator)
    assert gc.get_freeze_count() == frozen
