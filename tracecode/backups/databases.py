"""The database half of a backup: a consistent snapshot, a scratch database beside the real
one, and the swap that makes a restored scratch database the real one.

SQLite: the online backup API copies the whole file in one step, so the copy is one
consistent state while the app goes on writing (WAL); the swap copies the scratch database
onto the real file the same way, in one step, so readers see the old or the new one.
PostgreSQL: `pg_dump` in its custom format, from a snapshot exported by the transaction that
counts the rows, so counts and dump are the same state; a restore builds a scratch database
beside the real one (the user needs CREATEDB) and swaps the two by renaming them.
"""

import contextlib
import glob
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

from .archive import BadArchive

MIGRATIONS_TABLE = "django_migrations"
OTHER_SESSIONS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
)


class RestoreError(Exception):
    """A restore or verify that cannot go on; the target is left as it was."""


@dataclass
class Snapshot:
    alias: str  # a connection that reads the snapshot
    dump: Path | None  # the native dump, when one was asked for


def token() -> str:
    return secrets.token_hex(4)


@contextlib.contextmanager
def registered(settings_dict: dict, prefix: str = "backups") -> Iterator[str]:
    """A Django connection alias for another database (a snapshot, a scratch copy).

    The connection is made here and handed to `connections` without a DATABASES entry:
    it is this block's own, and Django's test runner allows such connections.
    """
    alias = f"{prefix}_{token()}"
    backend = load_backend(settings_dict["ENGINE"])
    connections[alias] = backend.DatabaseWrapper(dict(settings_dict), alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def model_tables() -> set[str]:
    """The tables of every installed model, and the migration records."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return tables | {MIGRATIONS_TABLE}


def table_counts(alias: str, tables: set[str] | None = None) -> dict[str, int]:
    """Rows per table, for the tables that exist (default: every model's)."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted((tables or model_tables()) & existing):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(alias: str) -> dict[str, list[str]]:
    """{app: [migration names]} as the database records them."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    """The archive's migrations this code does not have (it came from a newer Tracecode)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}" for app, names in migrations.items() for name in names
        if (app, name) not in known
    ]  # fmt: skip


def migration_targets(migrations: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The last migration of each app in `migrations`: what to migrate a scratch database to."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return [
        (app, max(names, key=lambda name: len(graph.forwards_plan((app, name)))))
        for app, names in sorted(migrations.items())
    ]


def pending_migrations(alias: str) -> bool:
    """Whether the database lacks migrations this code has."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate(settings_dict: dict, targets: list[tuple[str, str]] | None = None) -> None:
    """Migrate a scratch database, in a process of its own where it is the default database.

    A migration's RunPython code writes through its models' default manager, that is to the
    default database: run in this process it would change the real database, not the scratch
    one. `targets` None: to the latest, with the post-migrate signals, as `tracecode migrate`.
    """
    job = json.dumps({"database": settings_dict, "targets": targets}, default=str)
    done = subprocess.run(
        [sys.executable, "-m", "tracecode.backups.migrate"],
        input=job,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RestoreError(
            "migrating the restored database failed: " + done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"migrating the restored database failed (exit {done.returncode})"
        )


class Engine:
    """One configured database: how to snapshot it, copy it to scratch and swap it back."""

    vendor = ""
    dump_format = ""
    member = ""

    def __init__(self, settings_dict: dict):
        self.settings = dict(settings_dict)

    @classmethod
    def of(cls, alias: str = "default") -> "Engine":
        connection = connections[alias]
        return ENGINES[connection.vendor](connection.settings_dict)

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def holds_data(self) -> bool:
        """Whether the database has users or codes (a new or `migrate`d one has neither)."""
        from django.contrib.auth import get_user_model

        from tracecode.codes.models import CodeEntry

        if not self.exists():
            return False
        with registered(self.settings) as alias:
            tables = {get_user_model()._meta.db_table, CodeEntry._meta.db_table}
            return any(table_counts(alias, tables).values())

    def exists(self) -> bool:
        raise NotImplementedError

    def snapshot(self, folder: Path, native: bool) -> contextlib.AbstractContextManager:
        raise NotImplementedError

    def scratch(self) -> dict:
        """Settings of a new, empty scratch database beside this one."""
        raise NotImplementedError

    def load_native(self, scratch: dict, member: Path) -> None:
        """Fill an empty scratch database from the archive's native member."""
        raise NotImplementedError

    def drop(self, scratch: dict) -> None:
        raise NotImplementedError

    def swap_in(self, scratch: dict) -> Callable[[bool], None]:
        """Make the scratch database this one; return `finish(keep_new)`.

        finish(True) removes the replaced database; finish(False) puts it back.
        """
        raise NotImplementedError


class SQLite(Engine):
    vendor = "sqlite"
    dump_format = "sqlite"
    member = "database.sqlite3"

    def exists(self) -> bool:
        return Path(self.name).is_file() and Path(self.name).stat().st_size > 0

    @contextlib.contextmanager
    def snapshot(self, folder: Path, native: bool) -> Iterator[Snapshot]:
        path = folder / "snapshot.sqlite3"
        copy(Path(self.name), path)
        with registered({**self.settings, "NAME": str(path)}) as alias:
            yield Snapshot(alias, path if native else None)

    def scratch(self) -> dict:
        target = Path(self.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        name = target.with_name(f".{target.name}.restore-{token()}")
        return {**self.settings, "NAME": str(name)}

    def load_native(self, scratch: dict, member: Path) -> None:
        shutil.move(member, scratch["NAME"])

    def drop(self, scratch: dict) -> None:
        remove_sqlite(Path(scratch["NAME"]))

    def swap_in(self, scratch: dict) -> Callable[[bool], None]:
        close_all(self.name)
        target = Path(self.name)
        kept = None
        if self.exists():
            kept = target.with_name(f".{target.name}.replaced-{token()}")
            copy(target, kept)
        try:
            # One step of the backup API: a copy that fails leaves the target as it was.
            copy(Path(scratch["NAME"]), target)
        except BaseException:
            if kept:
                remove_sqlite(kept)
            raise
        remove_sqlite(Path(scratch["NAME"]))

        def finish(keep_new: bool) -> None:
            if not keep_new:
                if kept:
                    copy(kept, target)
                else:
                    remove_sqlite(target)
            if kept:
                remove_sqlite(kept)

        return finish


def copy(source: Path, target: Path) -> None:
    """Copy a SQLite database in one step of the online backup API (a consistent state)."""
    src = sqlite3.connect(source, timeout=60)
    try:
        dst = sqlite3.connect(target, timeout=60)
        try:
            src.backup(dst)  # pages=-1: all at once, so the copy is one consistent state
        finally:
            dst.close()
    finally:
        src.close()


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgreSQL(Engine):
    vendor = "postgresql"
    dump_format = "pg_dump"
    member = "database.pgdump"

    def tool(self, name: str) -> str:
        """pg_dump or pg_restore: TRACECODE_PG_BIN, the newest Debian one, or PATH's."""
        folders = [settings.PG_BIN] if settings.PG_BIN else []
        folders += sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2])
        )[::-1]
        for folder in folders:
            if (Path(folder) / name).is_file():
                return str(Path(folder) / name)
        if found := shutil.which(name):
            return found
        raise RestoreError(
            f"{name} is not installed (apt-get install postgresql-client, or set TRACECODE_PG_BIN)"
        )

    def environment(self, name: str | None = None) -> dict:
        """libpq's variables for pg_dump and pg_restore (no password on a command line)."""
        from django.db.backends.postgresql.client import DatabaseClient

        _, env = DatabaseClient.settings_to_cmd_args_env(self.settings, [])
        s = self.settings
        env = {**(env or {}), "PGDATABASE": name or self.name}
        for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if s.get(key):
                env[variable] = str(s[key])
        return {**os.environ, **env}

    def run(self, command: list[str], what: str, name: str | None = None) -> None:
        done = subprocess.run(command, env=self.environment(name), capture_output=True, text=True)
        if done.returncode:
            lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
            raise RestoreError(
                f"{what} failed: " + ("; ".join(lines[-3:]) or f"exit {done.returncode}")
            )

    @contextlib.contextmanager
    def maintenance(self) -> Iterator:
        """A cursor on the server's `postgres` database, outside any transaction."""
        server = {**self.settings, "NAME": "postgres", "CONN_MAX_AGE": 0}
        with registered(server) as alias, connections[alias].cursor() as cursor:
            yield cursor

    def exists(self) -> bool:
        with self.maintenance() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    @contextlib.contextmanager
    def snapshot(self, folder: Path, native: bool) -> Iterator[Snapshot]:
        with (
            registered({**self.settings, "CONN_MAX_AGE": 0}) as alias,
            transaction.atomic(using=alias),
            connections[alias].cursor() as cursor,
        ):
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            dump = None
            if native:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                dump = folder / "database.pgdump"
                command = [self.tool("pg_dump"), "--format=custom", f"--file={dump}"]
                self.run([*command, f"--snapshot={snapshot_id}"], "pg_dump")
            yield Snapshot(alias, dump)

    def scratch(self) -> dict:
        name = f"{self.name[:40]}_restore_{token()}"
        with self.maintenance() as cursor:
            quote = cursor.db.ops.quote_name
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE template0 ENCODING 'UTF8'")
        return {**self.settings, "NAME": name, "CONN_MAX_AGE": 0}

    def load_native(self, scratch: dict, member: Path) -> None:
        command = [self.tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        self.run(
            [*command, f"--dbname={scratch['NAME']}", str(member)], "pg_restore", scratch["NAME"]
        )

    def drop(self, scratch: dict) -> None:
        close_all(scratch["NAME"])
        with self.maintenance() as cursor:
            quote = cursor.db.ops.quote_name
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(scratch['NAME'])} WITH (FORCE)")

    def swap_in(self, scratch: dict) -> Callable[[bool], None]:
        close_all(self.name)
        close_all(scratch["NAME"])
        kept = f"{self.name[:40]}_replaced_{token()}"
        with self.maintenance() as cursor:
            quote = cursor.db.ops.quote_name
            cursor.execute(OTHER_SESSIONS, [self.name])
            if others := cursor.fetchone()[0]:
                raise RestoreError(
                    f"{others} other connection(s) use the database {self.name}: stop the app "
                    "(tracecode serve and the task worker) first"
                )
            existed = self.exists()
            if existed:
                cursor.execute(f"ALTER DATABASE {quote(self.name)} RENAME TO {quote(kept)}")
            cursor.execute(f"ALTER DATABASE {quote(scratch['NAME'])} RENAME TO {quote(self.name)}")

        def finish(keep_new: bool) -> None:
            close_all(self.name)
            with self.maintenance() as cursor:
                if not keep_new:
                    cursor.execute(
                        f"ALTER DATABASE {quote(self.name)} RENAME TO {quote(scratch['NAME'])}"
                    )
                    if existed:
                        cursor.execute(f"ALTER DATABASE {quote(kept)} RENAME TO {quote(self.name)}")
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(scratch['NAME'])} WITH (FORCE)")
                elif existed:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(kept)} WITH (FORCE)")

        return finish


def close_all(name: str) -> None:
    """Close this process's connections to the database of that name (before a rename)."""
    for connection in connections.all(initialized_only=True):
        if str(connection.settings_dict.get("NAME")) == name and not connection.in_atomic_block:
            connection.close()


ENGINES = {"sqlite": SQLite, "postgresql": PostgreSQL}


def engine_for_dump(dump_format: str, current: Engine) -> Engine:
    """The engine that restores a dump of this format here, or BadArchive/RestoreError why not."""
    if dump_format == "portable" or dump_format == current.dump_format:
        return current
    kinds = {"sqlite": "SQLite", "pg_dump": "PostgreSQL"}
    raise RestoreError(
        f"this archive holds a {kinds.get(dump_format, dump_format)} database and this "
        f"installation uses {kinds.get(current.dump_format)}: restore it where "
        "TRACECODE_DATABASE_URL points at the same kind of database, or move between kinds "
        "with a portable archive (tracecode backup --portable)"
    )


__all__ = ["BadArchive", "Engine", "RestoreError", "Snapshot", "registered"]
