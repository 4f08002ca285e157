"""PostgreSQL: the kinds' GIN indexes hold plain arrays that need no recheck.

Two functions, used by the kinds' indexes (backends/postgresql.py, made by `ensure_indexes`
after every migrate) and by the queries that ask them:

- `search_keys(readers, id)`: for each reader of an entry (0 when it has none), the reader,
  the reader in the entry's slice (4,096 ids) and the reader in its block (16 slices). A
  sales user's query asks for their own rows among the newest slices in one key each, so the
  index hands over only those rows, not the user's rows everywhere nor everyone's rows there.
- `search_trigrams(text)`: the hashes of every three characters in a row of the lower-cased
  text's space-separated words. A term's trigrams, computed by the same function, are among
  its entry's whenever the entry holds the term in any case.

pg_trgm's trigram index rechecked its LIKE conditions on every row it returned; an array
containment needs no recheck, so a row costs only the check of the terms themselves.

The kinds' old indexes (`search_entry_text_N`) are dropped here; ensure_indexes makes the new
ones (`search_entry_find_N`) right after the migrate.
"""

from django.db import migrations

KEYS = """
CREATE OR REPLACE FUNCTION search_keys(readers bigint[], id bigint) RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT array_agg(v.key)
    FROM unnest(coalesce(nullif(readers, '{}'::bigint[]), '{0}'::bigint[])) AS r,
    LATERAL (VALUES (r),
                    (-(r * 33554432 + (id >> 12)) - 1),
                    (-(r * 33554432 + 16777216 + (id >> 16)) - 1)) AS v (key);
END"""

TRIGRAMS = """
CREATE OR REPLACE FUNCTION search_trigrams(text text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(array_agg(DISTINCT hashtext(substr(word, i, 3))), '{}'::integer[])
    FROM string_to_table(lower(text), ' ') AS word,
    generate_series(1, length(word) - 2) AS i;
END"""

DROP_OLD = (
    "DO $$ DECLARE name text; BEGIN"
    " FOR name IN SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'"
    " AND indexname ~ '^search_entry_{prefix}_[0-9]+$' LOOP"
    " EXECUTE format('DROP INDEX %I', name); END LOOP; END $$"
)

POSTGRESQL = [DROP_OLD.format(prefix="text"), KEYS, TRIGRAMS]
POSTGRESQL_REVERSE = [
    DROP_OLD.format(prefix="find"),
    "DROP FUNCTION IF EXISTS search_trigrams(text)",
    "DROP FUNCTION IF EXISTS search_keys(bigint[], bigint)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_readers")]

    operations = [migrations.RunPython(forwards, backwards)]
