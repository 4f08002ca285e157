"""The database's own full-text search beside the entry table, per database.

SQLite: an FTS5 table with the trigram tokenizer (substrings of 3+ characters, Chinese
included), contentless, kept in step by triggers in the same transaction as the entry. Its
rowid is the entry id plus the kind's position shifted by 40 bits, so that each kind is one
rowid range: a query reads one kind, newest first, and stops at its limit.

PostgreSQL: a pg_trgm GIN index over the same text, so that a query matches substrings
(Chinese and partial codes included) exactly as on SQLite; backends/postgresql.py uses this
very expression.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        code, title, text, content='', columnsize=0, tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts (rowid, code, title, text)
        VALUES ((new.position << 40) + new.id, new.code, new.title, new.text);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, code, title, text)
        VALUES ('delete', (old.position << 40) + old.id, old.code, old.title, old.text);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF position, code, title, text
    ON search_entry BEGIN
        INSERT INTO search_entry_fts (search_entry_fts, rowid, code, title, text)
        VALUES ('delete', (old.position << 40) + old.id, old.code, old.title, old.text);
        INSERT INTO search_entry_fts (rowid, code, title, text)
        VALUES ((new.position << 40) + new.id, new.code, new.title, new.text);
    END
    """,
    # Entries written before this table (an older database or archive): a contentless FTS5
    # table must hold exactly what the triggers will later delete, or it reports itself
    # malformed on the first update.
    "INSERT INTO search_entry_fts (rowid, code, title, text)"
    " SELECT (position << 40) + id, code, title, text FROM search_entry",
    # Who may see an FTS5 hit, read from a narrow index instead of the wide entry row.
    "CREATE INDEX search_entry_visibility ON search_entry (id, customer_id)",
    # Code prefixes per kind, in byte order (SQLite's BINARY collation).
    "CREATE INDEX search_entry_kind_code ON search_entry (position, code)",
]
SQLITE_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_kind_code",
    "DROP INDEX IF EXISTS search_entry_visibility",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE INDEX search_entry_trgm ON search_entry
    USING gin ((code || ' ' || title || ' ' || text) gin_trgm_ops)
    """,
    # Code prefixes per kind, in byte order whatever the database's collation.
    'CREATE INDEX search_entry_kind_code ON search_entry (position, code COLLATE "C")',
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_kind_code",
    "DROP INDEX IF EXISTS search_entry_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
