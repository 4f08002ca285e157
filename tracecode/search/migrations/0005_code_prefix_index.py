"""PostgreSQL: one index of every entry's code in byte order, holding its customer and kind,
so that a code prefix (`RK1038-`: a customer's whole tree) is one range read from the index
alone, whatever the kinds, instead of one range per kind (backends/postgresql.py).

SQLite reads its prefixes from the (position, code) index as before: nothing to do there.
"""

from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS search_entry_code_c ON search_entry ((code COLLATE "C"))'
    " INCLUDE (customer_id, position)"
)
DROP = "DROP INDEX IF EXISTS search_entry_code_c"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0004_short_cjk_and_visibility")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
