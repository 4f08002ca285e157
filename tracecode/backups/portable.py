"""The portable dump: every model's rows as JSON lines, readable by SQLite and PostgreSQL alike.

    {"table": "customers_customer", "columns": ["id", "code", …], "rows": 10}
    [1, "RK888", …]
    …

Values are written as the ORM reads them (dates and times in ISO 8601 and UTC, decimals as
text, binary data in base64) and written back through each field's own conversion, so a row
reads the same from either database. Each table's rows also give a fingerprint: the sum of
the rows' SHA-256, which does not depend on the order a database returns them in. The
manifest keeps it, and a restore dumps what it loaded again and compares.
"""

import base64
import datetime
import decimal
import gzip
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, models, transaction
from django.utils.duration import duration_iso_string

from .archive import BadArchive
from .databases import MIGRATIONS_TABLE

BATCH = 2000
MODULUS = 1 << 256


def dumped_models() -> list[type[models.Model]]:
    """Every model whose rows a portable dump holds, in a stable order."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


def encode(value: Any) -> Any:
    """A value as the ORM read it, as JSON."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def row_line(values) -> str:
    return json.dumps(
        [encode(v) for v in values], ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


class Fingerprint:
    """Rows and an order-free digest of a table's rows."""

    def __init__(self):
        self.rows = 0
        self.total = 0

    def add(self, line: str) -> None:
        self.rows += 1
        digest = hashlib.sha256(line.encode()).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % MODULUS

    def value(self) -> dict:
        return {"rows": self.rows, "sha256": f"{self.total:064x}"}


def stored_fields(model) -> list[models.Field]:
    """The fields whose values a row stores (a generated column is computed again)."""
    return [f for f in model._meta.concrete_fields if not f.generated]


def table_rows(alias: str, model) -> tuple[list[str], Iterator[tuple]]:
    """The columns of a model's table and its rows as the ORM reads them."""
    fields = stored_fields(model)
    rows = (
        model._base_manager.using(alias)
        .order_by()
        .values_list(*[f.attname for f in fields])
        .iterator(chunk_size=BATCH)
    )
    return [f.column for f in fields], rows


def fingerprints(alias: str, tables: set[str] | None = None) -> dict[str, dict]:
    """{table: {"rows", "sha256"}} for every dumped model's table (or only those named)."""
    found = {}
    for model in dumped_models():
        table = model._meta.db_table
        if tables is not None and table not in tables:
            continue
        _, rows = table_rows(alias, model)
        fingerprint = Fingerprint()
        for row in rows:
            fingerprint.add(row_line(row))
        found[table] = fingerprint.value()
    return found


def dump(
    alias: str, path: Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, dict]:
    """Write every model's rows to `path` (gzip'd JSON lines); return their fingerprints."""
    result = {}
    every = dumped_models()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        for number, model in enumerate(every, start=1):
            columns, rows = table_rows(alias, model)
            table = model._meta.db_table
            out.write(json.dumps({"table": table, "columns": columns}) + "\n")
            fingerprint = Fingerprint()
            for row in rows:
                line = row_line(row)
                fingerprint.add(line)
                out.write(line + "\n")
            result[table] = fingerprint.value()
            if progress:
                progress(number, len(every))
    return result


def lines(path: Path) -> Iterator[tuple[int, Any]]:
    """The parsed lines of a portable dump with their numbers: table heads and rows."""
    number = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                yield number, json.loads(line)
    except (ValueError, OSError, EOFError) as error:
        raise BadArchive(f"the portable dump is damaged at line {number + 1} ({error})") from None


def converters(connection, table: str, columns: list[str]) -> list[Callable[[Any], Any]]:
    """For each column: JSON value → what the database driver takes, through the model field."""
    by_column = {}
    for model in dumped_models():
        if model._meta.db_table == table:
            by_column = {f.column: f for f in stored_fields(model)}

    def through(field):
        def convert(value):
            if value is None:
                return None
            if isinstance(field, models.JSONField):
                return field.get_db_prep_save(value, connection)
            return field.get_db_prep_save(field.to_python(value), connection)

        return convert

    return [through(by_column[c]) if c in by_column else (lambda v: v) for c in columns]


def load(alias: str, path: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Empty every table of a migrated scratch database and fill it from a portable dump.

    One transaction: foreign keys are checked at its end (Django declares them deferrable on
    both databases), so the order of the tables does not matter.
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        emptied = sorted(
            {m._meta.db_table for m in dumped_models()} & existing - {MIGRATIONS_TABLE}
        )
        if connection.vendor == "postgresql" and emptied:
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in emptied) + " CASCADE")
        else:
            for table in emptied:
                cursor.execute(f"DELETE FROM {quote(table)}")
        table, columns, convert, sql, batch, tables = None, [], [], "", [], 0
        for number, item in lines(path):
            if isinstance(item, dict):
                if batch:
                    cursor.executemany(sql, batch)
                    batch = []
                table, columns = item.get("table"), item.get("columns")
                if table not in existing or not isinstance(columns, list):
                    raise BadArchive(
                        f"the portable dump names a table this database does not have at "
                        f"line {number}: {table!r}"
                    )
                convert = converters(connection, table, columns)
                sql = "INSERT INTO {} ({}) VALUES ({})".format(
                    quote(table),
                    ", ".join(quote(c) for c in columns),
                    ", ".join(["%s"] * len(columns)),
                )
                tables += 1
                if progress:
                    progress(tables, 0)
                continue
            if table is None or not isinstance(item, list) or len(item) != len(columns):
                raise BadArchive(f"the portable dump has a malformed row at line {number}")
            batch.append([c(v) for c, v in zip(convert, item, strict=True)])
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        reset_sequences(connection, cursor)


def reset_sequences(connection, cursor) -> None:
    """PostgreSQL: move every id sequence past the rows loaded (SQLite needs nothing)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    for statement in statements:
        cursor.execute(statement)
