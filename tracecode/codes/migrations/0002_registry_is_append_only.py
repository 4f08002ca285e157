"""The database itself refuses to change a registered code or its parts."""

from django.db import migrations

FROZEN = ("code", "scheme", "scope", "serial", "parent_code", "origin", "created_at")

SQLITE = [
    """
    CREATE TRIGGER codes_codeentry_frozen BEFORE UPDATE OF {columns} ON codes_codeentry
    WHEN {changed}
    BEGIN SELECT RAISE(ABORT, 'a registered code never changes'); END
    """.format(
        columns=", ".join(FROZEN),
        changed=" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN),
    )
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS codes_codeentry_frozen"]

POSTGRESQL = [
    """
    CREATE FUNCTION codes_codeentry_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF ({changed}) THEN
            RAISE EXCEPTION 'a registered code never changes: %', OLD.code;
        END IF;
        RETURN NEW;
    END $$
    """.format(changed=" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)),
    """
    CREATE TRIGGER codes_codeentry_frozen BEFORE UPDATE ON codes_codeentry
    FOR EACH ROW EXECUTE FUNCTION codes_codeentry_frozen()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS codes_codeentry_frozen ON codes_codeentry",
    "DROP FUNCTION IF EXISTS codes_codeentry_frozen()",
]


def run(statements):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
