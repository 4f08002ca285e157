"""1–2 character Chinese queries, and who may see a full-text hit, without reading the entry.

Every entry gets its CJK grams (tracecode/search/cjk.py), computed here for the entries
already written.

SQLite: the FTS5 table is rebuilt with a fourth column, `grams`, and a new rowid that carries
the entry's customer beside its kind and id:

    rowid = position << 53 | id << 22 | customer id (0: none)

so that each kind is still one rowid range, read newest first, and whether the user may see
a hit is `rowid & 4194303` against the visible customers, with no lookup in the entry table
(measured on 1,000,000 entries as a sales user who sees a tenth of them: see the README).
This bounds positions below 1024, entry ids below 2^31 and customer ids below 2^22 (4 million):
the insert trigger refuses anything beyond, rather than index it wrongly.

PostgreSQL: a GIN index over the grams as an array (exact: no recheck).
"""

from django.db import migrations, models

ROWID = "({row}.position << 53) | ({row}.id << 22) | coalesce({row}.customer_id, 0)"
COLUMNS = "code, title, text, grams"
VALUES = "{row}.code, {row}.title, {row}.text, {row}.grams"
GUARD = (
    "SELECT RAISE(ABORT, 'search entry beyond the FTS5 rowid layout (position < 1024,"
    " id < 2^31, customer id < 2^22)') WHERE new.position >= 1024 OR new.id >= 2147483648"
    " OR coalesce(new.customer_id, 0) >= 4194304;"
)
NEW, OLD = ROWID.format(row="new"), ROWID.format(row="old")

SQLITE_TABLE = f"""
CREATE VIRTUAL TABLE search_entry_fts USING fts5(
    {COLUMNS}, content='', columnsize=0, tokenize='trigram'
)"""
SQLITE_INSERT_TRIGGER = f"""
CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
    {GUARD}
    INSERT INTO search_entry_fts (rowid, {COLUMNS}) VALUES ({NEW}, {VALUES.format(row="new")});
END"""
SQLITE_TRIGGERS = [
    SQLITE_INSERT_TRIGGER,
    f"""
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', {OLD}, {VALUES.format(row="old")});
    END""",
    f"""
    CREATE TRIGGER search_entry_fts_update
    AFTER UPDATE OF position, code, title, text, grams, customer_id ON search_entry BEGIN
        {GUARD}
        INSERT INTO search_entry_fts (search_entry_fts, rowid, {COLUMNS})
        VALUES ('delete', {OLD}, {VALUES.format(row="old")});
        INSERT INTO search_entry_fts (rowid, {COLUMNS}) VALUES ({NEW}, {VALUES.format(row="new")});
    END""",
]
SQLITE_FILL = (
    f"INSERT INTO search_entry_fts (rowid, {COLUMNS})"
    f" SELECT {ROWID.format(row='search_entry')}, {COLUMNS} FROM search_entry"
)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]
SQLITE = [
    *SQLITE_DROP,
    SQLITE_TABLE,
    *SQLITE_TRIGGERS,
    SQLITE_FILL,
    # Adding the column rebuilt the entry table, and with it these indexes of migration 0002:
    # code prefixes per kind stay; the (id, customer_id) index is no longer read.
    "CREATE INDEX IF NOT EXISTS search_entry_kind_code ON search_entry (position, code)",
    "DROP INDEX IF EXISTS search_entry_visibility",
]

# The grams as an array: `search_grams(grams) @> ARRAY['法兰']` is exact.
GRAMS = "array_remove(string_to_array(grams, ' '), '')"
POSTGRESQL = [f"CREATE INDEX search_entry_grams ON search_entry USING gin (({GRAMS}))"]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS search_entry_grams"]


def fill_grams(apps, schema_editor):
    from tracecode.search import cjk

    Entry = apps.get_model("search", "Entry")
    last = 0
    while True:
        batch = list(Entry.objects.filter(pk__gt=last).order_by("pk")[:2000])
        if not batch:
            break
        for entry in batch:
            entry.grams = cjk.grams(entry.title, entry.text)
        Entry.objects.bulk_update([e for e in batch if e.grams], ["grams"])
        last = batch[-1].pk


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        from importlib import import_module

        before = import_module("tracecode.search.migrations.0002_fulltext")
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)
        for statement in before.SQLITE:  # the table, its triggers and indexes
            schema_editor.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
        schema_editor.execute(
            "INSERT INTO search_entry_fts (rowid, code, title, text)"
            " SELECT (position << 40) + id, code, title, text FROM search_entry",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_positions_from_the_registry")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="grams",
            field=models.TextField(blank=True, editable=False, verbose_name="CJK grams"),
        ),
        migrations.RunPython(fill_grams, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
