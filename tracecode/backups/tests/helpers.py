"""What the backup tests share: take an archive, empty the target, read the state back."""

import hashlib
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tracecode.backups import filestore, services
from tracecode.backups.databases import model_tables, remove_sqlite, table_counts
from tracecode.backups.locations import Location
from tracecode.backups.models import Backup
from tracecode.codes.models import CodeEntry


def take(*, portable: bool = False, to: str | None = None, verify: bool = False) -> Backup:
    """Take a backup as `tracecode backup` does; fail the test if it failed."""
    location = Location.parse(to)
    backup = services.run(services.start(location=location, portable_dump=portable), verify=verify)
    assert backup.status == Backup.Status.DONE, backup.error
    return backup


def archive(backup: Backup) -> Path:
    return Path(backup.location) / backup.name


def store(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


def wipe() -> None:
    """An empty database (no tables at all) and an empty file store."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        remove_sqlite(name)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connection.close()
    for name in list(filestore.names(default_storage)):
        default_storage.delete(name)


def file_hashes() -> dict[str, str]:
    return {
        name: hashlib.sha256(default_storage.open(name, "rb").read()).hexdigest()
        for name in filestore.names(default_storage)
    }


def counts() -> dict[str, int]:
    return table_counts("default", model_tables())


def codes() -> list[tuple]:
    fields = ("code", "scheme", "scope", "serial", "status", "origin")
    return list(CodeEntry.objects.order_by("code").values_list(*fields))
