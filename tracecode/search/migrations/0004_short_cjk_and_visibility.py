"""1–2 character Chinese queries: every entry gets its CJK grams (tracecode/search/cjk.py),
computed here for the entries already written.

SQLite: the FTS5 table is rebuilt with a fourth column, `grams`; its rowid stays
`(position << 40) + id`, each kind one rowid range, read newest first. (Carrying the customer
in the rowid too, to tell who may see a hit without a lookup, was measured: the larger gaps
between rowids made FTS5's newest-first reads of common words 17 times slower.)

PostgreSQL: the one trigram index of migration 0002 gives way to a trigram index and a grams
index (the grams as an array: exact, no recheck) per kind, which backends/postgresql.py makes
after every migrate for every kind the registry knows (`ensure_indexes`); the (position, id)
index also holds the customer.
"""

from django.db import migrations, models

ROWID = "({row}.position << 40) + {row}.id"
COLUMNS = "code, title, text, grams"
VALUES = "{row}.code, {row}.title, {row}.text, {row}.grams"
NEW, OLD = ROWID.format(row="new"), ROWID.format(row="old")

SQLITE_TABLE = f"""
CREATE VIRTUAL TABLE search_entry_fts USING fts5(
    {COLUMNS}, content='', columnsize=0, tokenize='trigram'
)"""
SQLITE_INSERT_TRIGGER = f"""
CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
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
    AFTER UPDATE OF position, code, title, text, grams ON search_entry BEGIN
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
    # Adding the column rebuilt the entry table, and without them the indexes of migration
    # 0002: who may see an FTS5 hit, and code prefixes per kind.
    "CREATE INDEX IF NOT EXISTS search_entry_visibility ON search_entry (id, customer_id)",
    "CREATE INDEX IF NOT EXISTS search_entry_kind_code ON search_entry (position, code)",
]

# The grams as an array: `array_remove(string_to_array(grams, ' '), '') @> ARRAY['法兰']`.
GRAMS = "array_remove(string_to_array(grams, ' '), '')"
POSTGRESQL = [
    "DROP INDEX IF EXISTS search_entry_trgm",
    # Each kind newest first, with the customer: who may see an entry, read from the index.
    "DROP INDEX IF EXISTS search_entry_position",
    "CREATE INDEX search_entry_position ON search_entry (position, id) INCLUDE (customer_id)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_position",
    "CREATE INDEX search_entry_position ON search_entry (position, id)",
    "DO $$ DECLARE name text; BEGIN"
    " FOR name IN SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'"
    " AND indexname ~ '^search_entry_(trgm|grams)_[0-9]+$' LOOP"
    " EXECUTE format('DROP INDEX %I', name); END LOOP; END $$",
    "CREATE INDEX IF NOT EXISTS search_entry_trgm ON search_entry"
    " USING gin ((code || ' ' || title || ' ' || text) gin_trgm_ops)",
]


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
