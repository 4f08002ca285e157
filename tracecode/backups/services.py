"""Backups: take one, prove that it restores, restore it, keep the right ones, warn when late.

`take()` writes an archive (archive.py) of the database (databases.py, or portable.py for a
database-neutral dump) and every stored file (filestore.py) into a location (locations.py).
`check()` restores an archive into a scratch database and folder, compares them with its
manifest and removes them; `restore()` does the same and then swaps the scratch copies in.
`run()` is what the schedule and the Backups page do: take, record, verify, prune.
"""

import contextlib
import datetime
import getpass
import importlib.metadata
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import filestore, portable
from .archive import FILES, FORMAT, BadArchive, Reader, Writer
from .databases import (
    Engine,
    RestoreError,
    applied_migrations,
    engine_for_dump,
    migrate,
    migration_targets,
    pending_migrations,
    registered,
    table_counts,
    unknown_migrations,
)
from .locations import Location
from .models import Backup

Progress = Callable[[str, int, int], None]

__all__ = ["BadArchive", "RestoreError", "check", "restore", "run", "take"]


class BackupError(Exception):
    """A backup that could not be taken; nothing was kept."""


def version() -> str:
    try:
        return importlib.metadata.version("tracecode")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))


def command_line_user() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()} (command line)"


def quiet(stage: str, done: int, total: int) -> None:
    pass


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A scratch folder beside the data (a database copy can be big for /tmp)."""
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=settings.DATA_DIR) as folder:
        yield Path(folder)


# Taking an archive


@dataclass
class Taken:
    location: Location
    name: str
    size: int
    rows: int
    files: int
    manifest: dict


def new_name(location: Location, portable: bool = False) -> str:
    """tracecode-20261205-143000[-portable].tar, not yet used in the location."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    kind = "-portable" if portable else ""
    taken = {k.name for k in location.archives()} | set(
        Backup.objects.filter(location=str(location)).values_list("name", flat=True)
    )
    name, n = f"tracecode-{stamp}{kind}.tar", 1
    while name in taken:
        n += 1
        name = f"tracecode-{stamp}{kind}-{n}.tar"
    return name


def refuse_inside_store(location: Location) -> None:
    root = filestore.local_root(default_storage)
    path = getattr(location, "path", None)
    if root is not None and path is not None and path.is_relative_to(root):
        raise BackupError(
            f"the backups folder {path} is inside the file store {root}: each backup would "
            "hold the ones before it; choose another folder (TRACECODE_BACKUP_TO or --to)"
        )


def take(
    location: Location,
    name: str,
    *,
    portable_dump: bool = False,
    by: str = "",
    progress: Progress = quiet,
) -> Taken:
    """Write one archive of the database and every stored file into `location`."""
    refuse_inside_store(location)
    engine = Engine.of()
    storage = default_storage
    with workspace() as work, location.writing(name) as path:
        progress("database", 0, 1)
        with engine.snapshot(work, native=not portable_dump) as snapshot:
            if portable_dump and pending_migrations(snapshot.alias):
                raise BackupError(
                    "the database lacks migrations of this Tracecode: run tracecode migrate first"
                )
            migrations = applied_migrations(snapshot.alias)
            if portable_dump:
                member, dump_format = "database.jsonl.gz", "portable"
                dumped = work / member
                tables = portable.dump(
                    snapshot.alias, dumped, lambda d, t: progress("database", d, t)
                )
            else:
                member, dump_format = engine.member, engine.dump_format
                tables = table_counts(snapshot.alias)
        if not portable_dump:
            dumped = snapshot.dump
        with Writer(path) as writer:
            names = list(filestore.names(storage))
            known = filestore.KnownHashes(storage)
            files = []
            for number, stored in enumerate(names, start=1):
                size, changed = filestore.stamp(storage, stored)
                sha = known.get(stored, size, changed) or ""
                with filestore.open_stream(storage, stored) as stream:
                    sha = writer.add_stream(FILES + stored, stream, size, sha)
                known.put(stored, size, changed, sha)
                files.append({"name": stored, "size": size, "sha256": sha})
                progress("files", number, len(names))
            dump_size, dump_sha = writer.add_path(member, dumped)
            dumped.unlink()
            manifest = {
                "format": FORMAT,
                "app": "tracecode",
                "version": version(),
                "name": name,
                "created_at": timezone.now().isoformat(),
                "created_by": by or command_line_user(),
                "database": {
                    "kind": engine.vendor,
                    "format": dump_format,
                    "member": member,
                    "size": dump_size,
                    "sha256": dump_sha,
                },
                "migrations": migrations,
                "tables": tables,
                "files": files,
            }
            writer.add_manifest(manifest)
        size = path.stat().st_size
    known.save()
    rows = sum(v["rows"] if isinstance(v, dict) else v for v in tables.values())
    return Taken(location, name, size, rows, len(files), manifest)


# Checking and restoring


@dataclass
class Checked:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    migrated: bool = False
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.tables} tables, {self.rows} rows and {self.files} files as the manifest says"
        if self.migrated:
            text += f"; migrated from Tracecode {self.manifest['version']}"
        return text


def refuse_newer(manifest: dict) -> None:
    """An archive from a newer Tracecode cannot be restored by this one."""
    unknown = unknown_migrations(manifest["migrations"])
    if unknown or version_key(manifest["version"]) > version_key(version()):
        detail = f": its migrations {', '.join(unknown[:3])} are unknown here" if unknown else ""
        raise RestoreError(
            f"the archive comes from a newer Tracecode ({manifest['version']}; this is "
            f"{version()}){detail}. Upgrade Tracecode first"
        )


def compare_counts(alias: str, manifest: dict) -> int:
    """Raise RestoreError unless every table has the rows the manifest says; return the total."""
    wanted = {
        table: value["rows"] if isinstance(value, dict) else value
        for table, value in manifest["tables"].items()
    }
    found = table_counts(alias, set(wanted))
    for table, rows in sorted(wanted.items()):
        if table not in found:
            raise RestoreError(f"the restored database has no table {table}")
        if found[table] != rows:
            raise RestoreError(
                f"table {table} has {found[table]} rows after the restore, the manifest says {rows}"
            )
    return sum(wanted.values())


def compare_fingerprints(alias: str, manifest: dict) -> None:
    """A portable restore: every table reads back exactly as it was dumped."""
    found = portable.fingerprints(alias, set(manifest["tables"]))
    for table, wanted in sorted(manifest["tables"].items()):
        if table in found and found[table] != wanted:
            raise RestoreError(
                f"table {table} does not read back as it was dumped "
                f"({found[table]['rows']} rows, fingerprint {found[table]['sha256'][:12]}…; "
                f"the manifest says {wanted['rows']} rows, {wanted['sha256'][:12]}…)"
            )


def missing_files(alias: str, manifest: dict) -> list[str]:
    """Files the restored database refers to that the archive does not hold."""
    held = {entry["name"] for entry in manifest["files"]}
    missing = []
    for model in portable.dumped_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names = model._base_manager.using(alias).exclude(**{f.attname: ""})
                for name in names.values_list(f.attname, flat=True).iterator():
                    if name and name not in held:
                        missing.append(name)
    return sorted(missing)


def load(
    engine: Engine, scratch: dict, manifest: dict, member: Path, progress: Progress
) -> Checked:
    """Fill a scratch database from the archive's dump and prove it against the manifest."""
    checked = Checked(manifest, tables=len(manifest["tables"]), files=len(manifest["files"]))
    is_portable = manifest["database"]["format"] == "portable"
    progress("database", 0, 1)
    try:
        if is_portable:
            migrate(scratch, migration_targets(manifest["migrations"]))
            with registered(scratch) as alias:
                portable.load(alias, member)
        else:
            engine.load_native(scratch, member)
    except DatabaseError as error:
        raise RestoreError(f"the database dump does not load: {error}") from None
    with registered(scratch) as alias:
        checked.rows = compare_counts(alias, manifest)
        checked.migrated = pending_migrations(alias)
        if is_portable and not checked.migrated:
            compare_fingerprints(alias, manifest)
    if checked.migrated:
        progress("migrating", 0, 1)
        migrate(scratch)
    with registered(scratch) as alias:
        if missing := missing_files(alias, manifest):
            checked.warnings.append(
                _("The database refers to %(count)s file(s) the archive does not hold: %(names)s")
                % {"count": len(missing), "names": ", ".join(missing[:5])}
            )
    progress("database", 1, 1)
    return checked


def unpack(reader: Reader, work: Path, files_at: Callable[[str], Path], progress: Progress) -> Path:
    """Check every member of the archive while writing it out; return the dump's path."""
    member = work / reader.database_member

    def destination(name: str) -> Path:
        return member if name == reader.database_member else files_at(name[len(FILES) :])

    reader.unpack(destination, lambda d, t: progress("files", d, t))
    return member


def check(path: Path, progress: Progress = quiet) -> Checked:
    """Restore an archive into a scratch database and folder, compare, remove them again."""
    with Reader(path) as reader:
        manifest = reader.manifest
        refuse_newer(manifest)
        engine = engine_for_dump(manifest["database"]["format"], Engine.of())
        with workspace() as work:
            member = unpack(reader, work, lambda name: work / "files" / name, progress)
            scratch = engine.scratch()
            try:
                return load(engine, scratch, manifest, member, progress)
            finally:
                engine.drop(scratch)


def restore(path: Path, *, replace: bool = False, progress: Progress = quiet) -> Checked:
    """Restore an archive over this installation's database and file store.

    Refused when they hold data, unless `replace`. Everything is restored into scratch copies
    and proven against the manifest first; a failure at any step leaves the target as it was.
    """
    engine = Engine.of()
    storage = default_storage
    with Reader(path) as reader:
        manifest = reader.manifest
        refuse_newer(manifest)
        engine_for_dump(manifest["database"]["format"], engine)
        if not replace:
            if engine.holds_data():
                raise RestoreError(
                    f"the database {engine.name} holds data: restore into an empty one, or "
                    "replace it with --replace"
                )
            if next(filestore.names(storage), None) is not None:
                raise RestoreError(
                    "the file store holds files: restore into an empty one, or replace them "
                    "with --replace"
                )
        files = filestore.Restore(storage)
        scratch = None
        try:
            with workspace() as work:
                member = unpack(reader, work, files.path_for, progress)
                scratch = engine.scratch()
                checked = load(engine, scratch, manifest, member, progress)
            progress("swapping", 0, 1)
            finish_files = files.swap_in(manifest["files"])
            try:
                finish_database = engine.swap_in(scratch)
                scratch = None
            except BaseException:
                finish_files(False)
                raise
            finish_database(True)
            finish_files(True)
        except BaseException:
            files.discard()
            if scratch is not None:
                engine.drop(scratch)
            raise
    after_restore(manifest, path.stat().st_size)
    progress("swapping", 1, 1)
    if checked.migrated:
        progress("search index", 0, 1)
        rebuild_search_index()
        progress("search index", 1, 1)
    return checked


def rebuild_search_index() -> None:
    """After migrating an older archive: its entries may predate the full-text tables, and
    the migrations may have changed what is indexed (needs the files in place: documents'
    text is read from them)."""
    from django.db import transaction

    from tracecode.search import backends, index

    with transaction.atomic():
        backends.current().rebuild()
    index.reindex()


def after_restore(manifest: dict, size: int) -> None:
    """Forget what this process cached of the old database; settle the restored backups' rows.

    The archive holds its own backup as running: it is done, and proven by this restore.
    Any other backup that was running when the archive was taken never finished.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    from tracecode.codes.services import forget_schemes

    connections.close_all()
    ContentType.objects.clear_cache()
    forget_schemes()
    now = timezone.now()
    Backup.objects.filter(name=manifest["name"]).update(
        status=Backup.Status.DONE,
        finished_at=Coalesce("finished_at", Value(now)),
        size=size,
        rows=sum(v["rows"] if isinstance(v, dict) else v for v in manifest["tables"].values()),
        files=len(manifest["files"]),
        verification=Backup.Verification.OK,
        verified_at=now,
        stage="",
        error="",
        verify_error="",
    )
    interrupted = _("Interrupted: the database was restored from %(name)s.") % {
        "name": manifest["name"]
    }
    Backup.objects.filter(status__in=[Backup.Status.WAITING, Backup.Status.RUNNING]).update(
        status=Backup.Status.FAILED, error=interrupted, finished_at=now
    )
    Backup.objects.filter(
        verification__in=[Backup.Verification.WAITING, Backup.Verification.RUNNING]
    ).update(verification=Backup.Verification.NONE)


# Running, recording, keeping


def start(
    *,
    user=None,
    location: Location | None = None,
    portable_dump: bool = False,
    scheduled: bool = False,
) -> Backup:
    """Record a backup to be taken (the worker or the command runs it)."""
    location = location or Location.parse()
    return Backup.objects.create(
        name=new_name(location, portable_dump),
        location=str(location),
        portable=portable_dump,
        scheduled=scheduled,
        created_by=user,
    )


class Reporter:
    """Progress written to the backup's row, at most twice a second."""

    def __init__(self, backup: Backup, echo: Progress = quiet):
        self.backup, self.echo, self.last = backup, echo, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.echo(stage, done, total)
        now = time.monotonic()
        if now - self.last >= 0.5 or done == total:
            self.last = now
            Backup.objects.filter(pk=self.backup.pk).update(stage=stage, done=done, total=total)


def run(backup: Backup, *, verify: bool = True, echo: Progress = quiet) -> Backup:
    """Take the recorded backup, verify it, and prune the location; the row tells the outcome."""
    location = Location.parse(backup.location)
    by = backup.created_by.username if backup.created_by else ""
    if backup.scheduled:
        by = "schedule"
    Backup.objects.filter(pk=backup.pk).update(
        status=Backup.Status.RUNNING, started_at=timezone.now()
    )
    report = Reporter(backup, echo)
    try:
        taken = take(location, backup.name, portable_dump=backup.portable, by=by, progress=report)
    except Exception as error:
        Backup.objects.filter(pk=backup.pk).update(
            status=Backup.Status.FAILED, error=str(error) or type(error).__name__,
            finished_at=timezone.now(), stage="",
        )  # fmt: skip
        backup.refresh_from_db()
        return backup
    Backup.objects.filter(pk=backup.pk).update(
        status=Backup.Status.DONE, finished_at=timezone.now(), size=taken.size,
        rows=taken.rows, files=taken.files, stage="",
        verification=Backup.Verification.WAITING if verify else Backup.Verification.NONE,
    )  # fmt: skip
    backup.refresh_from_db()
    if verify:
        verify_backup(backup, echo=echo)
        if backup.verification == Backup.Verification.OK and str(location) == str(Location.parse()):
            prune(location)
    return backup


def verify_backup(backup: Backup, *, echo: Progress = quiet) -> Backup:
    """Prove the backup's archive restores; record the outcome on its row."""
    Backup.objects.filter(pk=backup.pk).update(
        verification=Backup.Verification.RUNNING, verify_error=""
    )
    report = Reporter(backup, echo)
    try:
        with Location.parse(backup.location).reading(backup.name) as path:
            checked = check(path, progress=lambda s, d, t: report(f"verify {s}", d, t))
    except Exception as error:
        Backup.objects.filter(pk=backup.pk).update(
            verification=Backup.Verification.FAILED, verified_at=timezone.now(), stage="",
            verify_error=str(error) or type(error).__name__,
        )  # fmt: skip
    else:
        Backup.objects.filter(pk=backup.pk).update(
            verification=Backup.Verification.OK, verified_at=timezone.now(), stage="",
            warnings=checked.warnings,
        )  # fmt: skip
    backup.refresh_from_db()
    return backup


def prune(location: Location, now: datetime.datetime | None = None) -> list[str]:
    """Delete the archives the keep rules no longer want; return their names.

    Kept: the newest archive of each of the last TRACECODE_BACKUP_KEEP_DAILY days that have
    one, the newest of each of the last TRACECODE_BACKUP_KEEP_WEEKLY weeks, and the newest
    verified one whatever its age. Failed attempts are forgotten after the daily window.
    """
    now = now or timezone.now()
    done = list(Backup.objects.filter(location=str(location), status=Backup.Status.DONE))
    done.sort(key=lambda b: b.started_at, reverse=True)
    days: dict = {}
    weeks: dict = {}
    for backup in done:
        day = timezone.localtime(backup.started_at).date()
        if day not in days and len(days) < settings.BACKUP_KEEP_DAILY:
            days[day] = backup.pk
        week = day.isocalendar()[:2]
        if week not in weeks and len(weeks) < settings.BACKUP_KEEP_WEEKLY:
            weeks[week] = backup.pk
    keep = set(days.values()) | set(weeks.values())
    verified = [b for b in done if b.verification == Backup.Verification.OK]
    if verified:
        keep.add(verified[0].pk)
    removed = []
    for backup in done:
        if backup.pk not in keep and not backup.busy:
            location.delete(backup.name)
            backup.delete()
            removed.append(backup.name)
    old = now - datetime.timedelta(days=max(settings.BACKUP_KEEP_DAILY, 1))
    Backup.objects.filter(
        location=str(location), status=Backup.Status.FAILED, started_at__lt=old
    ).delete()
    return removed


def sync_archives(location: Location | None = None) -> int:
    """Record the archives found in the location that no row knows (taken elsewhere, or
    before a restore); forget rows of finished archives that are gone. Returns rows added."""
    location = location or Location.parse()
    kept = {k.name: k for k in location.archives()}
    rows = Backup.objects.filter(location=str(location))
    known = set(rows.values_list("name", flat=True))
    added = [
        Backup(
            name=k.name,
            location=str(location),
            portable="-portable" in k.name,
            started_at=k.modified,
            finished_at=k.modified,
            status=Backup.Status.DONE,
            size=k.size,
        )  # fmt: skip
        for name, k in kept.items()
        if name not in known
    ]
    Backup.objects.bulk_create(added)
    rows.filter(status=Backup.Status.DONE).exclude(name__in=kept).delete()
    return len(added)


def warning(now: datetime.datetime | None = None) -> str:
    """What every administrator must be told about the backups, or ""."""
    now = now or timezone.now()
    checked = (
        Backup.objects.filter(verification__in=[Backup.Verification.OK, Backup.Verification.FAILED])
        .order_by("-verified_at")
        .first()
    )
    if checked and checked.verification == Backup.Verification.FAILED:
        return _("The backup of %(when)s failed its verification: %(error)s") % {
            "when": when(checked.started_at),
            "error": checked.verify_error,
        }
    finished = Backup.objects.exclude(finished_at=None).order_by("-finished_at").first()
    if finished and finished.status == Backup.Status.FAILED:
        return _("The backup of %(when)s failed: %(error)s") % {
            "when": when(finished.started_at),
            "error": finished.error,
        }
    if settings.BACKUP_HOURS <= 0:
        return ""
    limit = now - datetime.timedelta(hours=2 * settings.BACKUP_HOURS)
    latest = Backup.objects.filter(verification=Backup.Verification.OK).order_by("-started_at")
    latest = latest.first()
    if latest is None:
        if installed_at() < limit:
            return _("No backup has been verified yet.")
        return ""
    if latest.started_at < limit:
        return _("The last verified backup is from %(when)s, more than two backup periods ago.") % {
            "when": when(latest.started_at)
        }
    return ""


def installed_at() -> datetime.datetime:
    """When this installation's database was made (its first migration)."""
    from django.db.migrations.recorder import MigrationRecorder

    first = MigrationRecorder.Migration.objects.order_by("applied").first()
    return first.applied if first else timezone.now()


def when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
