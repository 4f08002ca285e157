"""PostgreSQL: who may read an entry, inside the kinds' GIN indexes.

`search_entry.readers` holds the user ids of its customer's owner and of those it is shared
with ('{}' without a customer). Triggers keep it exact in the same transaction as the change,
whatever makes it (a service, an import, the admin, a queryset update, a restore): an entry
takes its customer's readers when written, and a customer's entries are rewritten when its
owner changes or a share is added or removed. The kinds' trigram and grams indexes
(backends/postgresql.py, made by `ensure_indexes` after every migrate) hold it beside the
text, so a sales user's query gets only their own matches from the index. It only narrows
what the index hands over: every query still checks the visible customers, so a stale
`readers` could hide a hit, never show one.

SQLite needs none of it (its FTS5 table is read newest first, filtered by customer).
"""

from django.db import migrations

# The readers of customer `customer`: its owner, then whom it is shared with.
READERS = """
CREATE OR REPLACE FUNCTION search_readers(customer bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT array_prepend(c.owner_id, coalesce((
            SELECT array_agg(s.user_id ORDER BY s.user_id)
            FROM customers_customershare s WHERE s.customer_id = c.id
        ), '{}'))
        FROM customers_customer c WHERE c.id = customer
    ), '{}')
$$"""

ENTRY_TRIGGER = [
    """
    CREATE OR REPLACE FUNCTION search_entry_readers() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.readers := search_readers(NEW.customer_id);
        RETURN NEW;
    END $$""",
    """
    CREATE TRIGGER search_entry_readers BEFORE INSERT OR UPDATE OF customer_id, readers
    ON search_entry FOR EACH ROW EXECUTE FUNCTION search_entry_readers()""",
]

# A customer's entries follow its owner and its shares.
CUSTOMER_TRIGGERS = [
    """
    CREATE OR REPLACE FUNCTION search_follow_readers(customer bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE
        wanted bigint[] := search_readers(customer);
    BEGIN
        UPDATE search_entry SET readers = wanted
        WHERE customer_id = customer AND readers <> wanted;
    END $$""",
    """
    CREATE OR REPLACE FUNCTION search_customer_readers() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_follow_readers(NEW.id);
        RETURN NULL;
    END $$""",
    """
    CREATE OR REPLACE FUNCTION search_share_readers() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM search_follow_readers(OLD.customer_id);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM search_follow_readers(NEW.customer_id);
        END IF;
        RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER search_customer_readers AFTER UPDATE OF owner_id ON customers_customer
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
    EXECUTE FUNCTION search_customer_readers()""",
    """
    CREATE TRIGGER search_share_readers AFTER INSERT OR UPDATE OR DELETE
    ON customers_customershare FOR EACH ROW EXECUTE FUNCTION search_share_readers()""",
]

FILL = "UPDATE search_entry SET readers = search_readers(customer_id) WHERE customer_id IS NOT NULL"

POSTGRESQL = [
    # The kinds' indexes without the readers go first (the fill then updates no GIN index):
    # ensure_indexes makes them again, with the readers, right after the migrate.
    "DO $$ DECLARE name text; BEGIN"
    " FOR name IN SELECT indexname FROM pg_indexes WHERE tablename = 'search_entry'"
    " AND indexname ~ '^search_entry_(trgm|grams)_[0-9]+$' LOOP"
    " EXECUTE format('DROP INDEX %I', name); END LOOP; END $$",
    "ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS readers bigint[] NOT NULL DEFAULT '{}'",
    READERS,
    *ENTRY_TRIGGER,
    *CUSTOMER_TRIGGERS,
    FILL,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_share_readers ON customers_customershare",
    "DROP TRIGGER IF EXISTS search_customer_readers ON customers_customer",
    "DROP TRIGGER IF EXISTS search_entry_readers ON search_entry",
    "DROP FUNCTION IF EXISTS search_share_readers()",
    "DROP FUNCTION IF EXISTS search_customer_readers()",
    "DROP FUNCTION IF EXISTS search_follow_readers(bigint)",
    "DROP FUNCTION IF EXISTS search_entry_readers()",
    "DROP FUNCTION IF EXISTS search_readers(bigint)",
    # Drops the kinds' indexes over it too (ensure_indexes makes them only with the column).
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS readers",
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
    dependencies = [
        ("search", "0005_code_prefix_index"),
        ("customers", "0011_kept_contacts_and_balances"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
