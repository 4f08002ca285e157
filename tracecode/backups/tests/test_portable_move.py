"""The way up: SQLite to PostgreSQL and back with portable archives, as the README's three
commands do it. Run on SQLite, it starts a throwaway PostgreSQL; run on PostgreSQL, the other
side is a SQLite file."""

import contextlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction

from tracecode.backups import portable
from tracecode.backups.archive import MANIFEST
from tracecode.codes.services import allocate
from tracecode.search.services import search

from .helpers import archive, file_hashes, take

pytestmark = [
    pytest.mark.processes,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]

CLUSTER = Path(settings.BASE_DIR) / "scripts" / "pgcluster.py"


@contextlib.contextmanager
def other_database(folder: Path):
    """A new, empty database of the other kind: its TRACECODE_DATABASE_URL."""
    if connection.vendor == "postgresql":
        yield f"sqlite:///{folder / 'moved.sqlite3'}"
        return
    # Not under pytest's folders: those are root's alone, and the cluster runs as postgres.
    cluster = Path(tempfile.gettempdir()) / f"tracecode-pg-{secrets.token_hex(4)}"
    url = subprocess.run(
        [sys.executable, str(CLUSTER), "start", str(cluster), "--fast"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    try:
        yield url
    finally:
        subprocess.run([sys.executable, str(CLUSTER), "stop", str(cluster)], check=False)


def tracecode(env: dict, *arguments: str) -> str:
    """Run the tracecode command as an operator would, with this environment."""
    done = subprocess.run(
        [sys.executable, "-m", "tracecode", *arguments],
        env={**os.environ, **env}, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def manifest(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(MANIFEST))


def same_rows(tables: dict) -> dict:
    """The fingerprints of every table but the backups' own records (each archive adds one)."""
    return {table: value for table, value in tables.items() if table != "backups_backup"}


def test_sqlite_to_postgresql_and_back(tmp_path, wipe):
    call_command("demo", stdout=io.StringIO())
    there_and_back = archive(take(portable=True))
    first = manifest(there_and_back)
    assert first["database"]["format"] == "portable"

    with other_database(tmp_path) as url:
        other = {
            "TRACECODE_DATABASE_URL": url,
            "TRACECODE_FILES_DIR": str(tmp_path / "other-files"),
            "TRACECODE_BACKUP_TO": str(tmp_path / "other-backups"),
        }
        restored = tracecode(other, "restore", str(there_and_back))
        assert "as the manifest says" in restored
        assert "RK1036" in tracecode(other, "search", "query", "苏州精工", "--user", "admin")
        tracecode(other, "backup", "--portable")
        [back] = (tmp_path / "other-backups").glob("*.tar")
    second = manifest(back)
    assert second["database"]["kind"] != first["database"]["kind"]
    assert same_rows(second["tables"]) == same_rows(first["tables"])
    assert second["files"] == first["files"]

    wipe()
    call_command("restore", str(back), stdout=io.StringIO(), stderr=io.StringIO())
    assert same_rows(portable.fingerprints("default")) == same_rows(first["tables"])
    assert {f["name"]: f["sha256"] for f in first["files"]} == file_hashes()
    admin = get_user_model().objects.get(username="admin")
    found = search(admin, "苏州精工")
    assert "RK1036" in [hit.code for group in found.groups for hit in group.hits]
    with transaction.atomic():
        assert allocate("customer").code == "RK1045"  # after the demo's RK1044
