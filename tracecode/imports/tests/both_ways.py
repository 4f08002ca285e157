"""What the bulk-path property tests share: rows drawn good with at most one wrong cell, the
sheet they make, and the same sheet imported both ways (chunks written together, and row by
row), each in a transaction rolled back, for comparison."""

from django.db import transaction
from django.test import override_settings
from hypothesis import strategies as st

from .. import engine
from .helpers import run, xlsx
from .test_chunks import everything


def flawed(good: dict, bad: dict, clean: int):
    """Rows drawn from `good` (a strategy per column); about one in `clean` has one cell
    of `bad` instead (the row fails, and its chunk is tried row by row)."""

    @st.composite
    def rows_of(draw) -> dict:
        row = draw(st.fixed_dictionaries(good))
        flaw = draw(st.sampled_from([None] * clean + sorted(bad)))
        if flaw is not None:
            row[flaw] = bad[flaw]
        return row

    return rows_of()


def sheet(name: str, header: list[str], rows: list[dict]) -> bytes:
    return xlsx((name, [header, *([row[h] for h in header] for row in rows)]))


def said(outcome) -> dict:
    """What an import tells its user, the records' ids left out."""
    return {
        "counts": outcome.counts(),
        "problems": [str(p) for p in outcome.problems],
        "failing": outcome.failing_rows,
        "preview": outcome.preview,
        "committed": outcome.committed,
        "undo": [{k: v for k, v in u.items() if k != "pk"} for u in outcome.undo],
    }


def imported(kind: str, user, data: bytes, keep_good: bool) -> tuple[dict, dict]:
    """What the database holds after importing `data`, and what the import said; nothing is
    kept."""
    with transaction.atomic():
        outcome = run(kind, data, user, keep_good=keep_good)
        found = everything()
        transaction.set_rollback(True)
    return found, said(outcome)


def both_ways(kind: str, user, data: bytes, keep_good: bool) -> tuple[tuple, tuple]:
    """`imported` through the bulk path, then row by row."""
    with override_settings(IMPORT_BULK=True):
        bulk = imported(kind, user, data, keep_good)
    with override_settings(IMPORT_BULK=False):
        one_by_one = imported(kind, user, data, keep_good)
    return bulk, one_by_one


def compared(kind: str, user, data: bytes, keep_good: bool, chunk: int, monkeypatch,
             world=lambda: None) -> tuple[tuple, tuple]:  # fmt: skip
    """`both_ways` in chunks of `chunk` rows, on top of what `world()` makes, all of it
    rolled back afterwards (a hypothesis example runs in the test's one transaction)."""
    monkeypatch.setattr(engine, "CHUNK_ROWS", chunk)
    with transaction.atomic():
        world()
        compared = both_ways(kind, user, data, keep_good)
        transaction.set_rollback(True)
    return compared
