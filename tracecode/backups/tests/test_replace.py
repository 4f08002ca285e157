"""A restore over data needs --replace; a restore that fails at the last step changes nothing."""

import io
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tracecode.backups import databases
from tracecode.customers.models import Customer
from tracecode.sales.tests.factories import make_customer

from .helpers import archive, codes, counts, file_hashes, store, take

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def taken(alice):
    """An archive of one customer and a file; since then, a second customer and file."""
    make_customer(alice, name="Nordwerk Automotive GmbH")
    store("RK001 Nordwerk/Drawing/RK001 Drawing.pdf", b"%PDF-1.7 drawing")
    backup = take()
    make_customer(alice, name="Pacific Aero Components Inc.")
    store("RK002 Pacific/PO.pdf", b"%PDF-1.7 later")
    return archive(backup)


def restore(path, *options):
    out = io.StringIO()
    call_command("restore", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_database_with_data_is_not_replaced_unless_told(taken):
    with pytest.raises(CommandError) as refusal:
        restore(taken)
    assert "holds data: restore into an empty one, or replace it with --replace" in str(
        refusal.value
    )
    assert Customer.objects.count() == 2


def test_files_alone_also_need_replace(taken, wipe):
    wipe()
    store("left behind.pdf", b"%PDF-1.7")
    with pytest.raises(CommandError) as refusal:
        restore(taken)
    assert "the file store holds files" in str(refusal.value)
    assert list(file_hashes()) == ["left behind.pdf"]


def test_replace_puts_back_the_archive_exactly(taken):
    assert "as the manifest says" in restore(taken, "--replace")
    assert list(Customer.objects.values_list("company_name", flat=True)) == [
        "Nordwerk Automotive GmbH"
    ]
    assert list(file_hashes()) == ["RK001 Nordwerk/Drawing/RK001 Drawing.pdf"]
    assert [code for code, *_ in codes()] == ["RK001"]


def test_a_swap_that_fails_leaves_database_and_files_as_they_were(taken, monkeypatch):
    before = (counts(), codes(), file_hashes())
    if connection.vendor == "postgresql":
        # The app still holds the database: the rename is refused, as it must be.
        s = connection.settings_dict
        holder = psycopg.connect(
            dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"], autocommit=True
        )
        expected = "other connection(s) use the database"
    else:
        holder = None

        def disk_full(source, target):
            if ".restore-" in str(source):
                raise OSError("No space left on device")
            real_copy(source, target)

        real_copy = databases.copy
        monkeypatch.setattr(databases, "copy", disk_full)
        expected = "No space left on device"
    try:
        with pytest.raises((CommandError, OSError)) as failure:
            restore(taken, "--replace")
    finally:
        if holder:
            holder.close()
    assert expected in str(failure.value)
    assert (counts(), codes(), file_hashes()) == before
    if connection.vendor == "sqlite":  # and no copy of the database stays behind
        database = Path(connection.settings_dict["NAME"])
        assert not list(database.parent.glob(f".{database.name}.*"))
