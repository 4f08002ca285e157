"""An archive from an older Tracecode is migrated on restore; one from a newer one is refused."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

from tracecode.backups.archive import MANIFEST, Reader
from tracecode.sales.tests.factories import make_customer
from tracecode.search.services import search

from .helpers import archive, take

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def before_full_text():
    """Takes the database back to before the search index had its full-text half (search
    0002), keeping the entries written so far, as an older Tracecode had them."""
    yield lambda: call_command("migrate", "search", "0001", verbosity=0)
    call_command("migrate", verbosity=0)


def test_an_older_archive_is_migrated_and_its_search_index_rebuilt(before_full_text, alice, wipe):
    make_customer(alice, name="Lyon Précision Médicale SARL")
    before_full_text()
    backup = take()
    with Reader(archive(backup)) as reader:
        assert reader.manifest["migrations"]["search"] == ["0001_initial"]
    call_command("migrate", verbosity=0)  # this Tracecode is newer than the archive
    wipe()

    out = io.StringIO()
    call_command("restore", str(archive(backup)), stdout=out, stderr=io.StringIO())
    assert "migrated from Tracecode" in out.getvalue()
    applied = MigrationRecorder.Migration.objects.filter(app="search")
    assert {"0001_initial", "0002_fulltext"} <= set(applied.values_list("name", flat=True))
    found = search(alice, "Précision")  # a full-text query: through FTS5 or pg_trgm
    assert [hit.title for group in found.groups for hit in group.hits] == [
        "Lyon Précision Médicale SARL"
    ]


def newer(path, change):
    with tarfile.open(path) as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(contents[MANIFEST])
    change(manifest)
    contents[MANIFEST] = json.dumps(manifest).encode()
    changed = path.with_name("newer.tar")
    with tarfile.open(changed, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return changed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda m: m["migrations"]["customers"].append("0099_loyalty_points"),
            "its migrations customers.0099_loyalty_points are unknown here",
        ),
        (lambda m: m.update(version="99.0"), "comes from a newer Tracecode (99.0"),
    ],
)
def test_an_archive_from_a_newer_tracecode_is_refused(alice, change, expected):
    make_customer(alice)
    path = newer(archive(take()), change)
    for command in (["restore", str(path), "--replace"], ["backup", "verify", str(path)]):
        with pytest.raises(CommandError) as refusal:
            call_command(*command, stdout=io.StringIO(), stderr=io.StringIO())
        assert expected in str(refusal.value)
        assert "Upgrade Tracecode first" in str(refusal.value)
