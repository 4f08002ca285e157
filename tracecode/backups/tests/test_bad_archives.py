"""A bad archive is refused with the reason, and the database and files stay as they were."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tracecode.backups.archive import MANIFEST
from tracecode.sales.tests.factories import make_customer

from .helpers import archive, codes, counts, file_hashes, store, take

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def taken(alice, tmp_path) -> Path:
    """An archive of a customer and two files; the installation has moved on since."""
    make_customer(alice, name="Nordwerk Automotive GmbH")
    store("RK001 Nordwerk/Drawing/RK001 Drawing.pdf", b"%PDF-1.7 drawing")
    store("RK001 Nordwerk/NDA/RK001 NDA.pdf", b"%PDF-1.7 nda")
    path = archive(take())
    make_customer(alice, name="Pacific Aero Components Inc.")
    store("RK002 Pacific/PO.pdf", b"%PDF-1.7 later")
    return path


def state():
    return counts(), codes(), file_hashes()


def leftovers() -> list[str]:
    """Scratch copies a failed restore might have left behind."""
    found = [n for n in default_storage.listdir("")[0] if n.startswith(".tracecode-")]
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        found += [
            p.name
            for p in database.parent.iterdir()
            if p.name.startswith((f".{database.name}.restore-", f".{database.name}.replaced-"))
        ]
    else:
        # Only this database's scratch copies: another test process may be restoring its own.
        mine = connection.settings_dict["NAME"][:40].replace("_", "\\_")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s OR datname LIKE %s",
                [f"{mine}\\_restore\\_%", f"{mine}\\_replaced\\_%"],
            )
            found += [row[0] for row in cursor.fetchall()]
    return found


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def rewrite(path: Path, contents: dict[str, bytes]) -> Path:
    bad = path.with_name("bad-" + path.name)
    with tarfile.open(bad, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return bad


def refused(path: Path, *options: str) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), *options, stdout=io.StringIO(), stderr=io.StringIO())
    return str(refusal.value)


def manifest_of(contents: dict[str, bytes]) -> dict:
    return json.loads(contents[MANIFEST])


def test_a_truncated_archive_is_refused_and_changes_nothing(taken):
    before = state()
    data = taken.read_bytes()
    cut = taken.with_name("cut.tar")
    cut.write_bytes(data[: len(data) // 2])
    message = refused(cut, "--replace")
    assert "cut.tar is truncated or damaged: it breaks off inside " in message
    assert "nothing was changed" in message
    assert state() == before and leftovers() == []


def test_an_archive_cut_inside_its_manifest_is_refused(taken):
    with tarfile.open(taken) as tar:
        manifest = tar.getmember(MANIFEST)
    cut = taken.with_name("cut.tar")
    cut.write_bytes(taken.read_bytes()[: manifest.offset_data + 10])
    before = state()
    assert "it breaks off inside manifest.json" in refused(cut, "--replace")
    assert state() == before and leftovers() == []


def test_a_damaged_file_is_named_with_its_checksum(taken):
    contents = members(taken)
    name = "files/RK001 Nordwerk/NDA/RK001 NDA.pdf"
    contents[name] = contents[name].replace(b"nda", b"NDA")
    before = state()
    message = refused(rewrite(taken, contents), "--replace")
    assert f"{name} is damaged: its SHA-256 is" in message
    assert state() == before and leftovers() == []


def test_a_damaged_database_dump_is_refused(taken):
    contents = members(taken)
    member = manifest_of(contents)["database"]["member"]
    dump = bytearray(contents[member])
    dump[len(dump) // 2] ^= 0xFF
    contents[member] = bytes(dump)
    before = state()
    assert f"{member} is damaged" in refused(rewrite(taken, contents), "--replace")
    assert state() == before and leftovers() == []


def test_a_file_missing_from_the_archive_is_named(taken):
    contents = members(taken)
    del contents["files/RK001 Nordwerk/Drawing/RK001 Drawing.pdf"]
    before = state()
    message = refused(rewrite(taken, contents), "--replace")
    assert (
        "files/RK001 Nordwerk/Drawing/RK001 Drawing.pdf is listed in the manifest but missing "
        "from the archive"
    ) in message
    assert state() == before and leftovers() == []


def test_a_file_not_in_the_manifest_is_refused(taken):
    contents = members(taken)
    manifest = contents.pop(MANIFEST)
    contents["files/smuggled.exe"] = b"MZ"
    contents[MANIFEST] = manifest
    assert "files/smuggled.exe is in the archive but not in its manifest" in refused(
        rewrite(taken, contents), "--replace"
    )


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (b"{not json", "manifest.json is not valid JSON"),
        (b"[]", "not a Tracecode manifest"),
        (b'{"format": 1}', "manifest.json has no valid 'app'"),
    ],
)
def test_a_manifest_that_is_not_one_is_refused(taken, manifest, expected):
    contents = members(taken)
    contents[MANIFEST] = manifest
    before = state()
    assert expected in refused(rewrite(taken, contents), "--replace")
    assert state() == before


def test_a_manifest_with_other_row_counts_is_refused_after_a_trial_restore(taken):
    contents = members(taken)
    manifest = manifest_of(contents)
    manifest["tables"]["customers_customer"] += 1
    contents[MANIFEST] = json.dumps(manifest).encode()
    before = state()
    message = refused(rewrite(taken, contents), "--replace")
    assert "table customers_customer has 1 rows after the restore, the manifest says 2" in message
    assert state() == before and leftovers() == []


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "notes.tar"
    path.write_text("shopping list")
    assert "notes.tar is not a Tracecode backup" in refused(path)


def test_an_empty_target_stays_empty_after_a_bad_archive(taken, wipe):
    contents = members(taken)
    contents["files/RK001 Nordwerk/NDA/RK001 NDA.pdf"] = b"changed"
    bad = rewrite(taken, contents)
    wipe()
    assert "is damaged" in refused(bad)
    assert file_hashes() == {} and leftovers() == []
    assert connection.introspection.table_names() == []
