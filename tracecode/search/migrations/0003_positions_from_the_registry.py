"""The groups' positions now come from the record registry (10, 20 … instead of 1, 2 …), which
leaves room for the kinds later apps register. Existing entries move to the new positions; on
SQLite the update trigger of migration 0002 moves their FTS5 rows with them."""

from django.db import migrations

MOVES = {1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60, 7: 70, 8: 80, 9: 95, 10: 1000}


def move(apps, schema_editor):
    cases = " ".join(f"WHEN {old} THEN {new}" for old, new in MOVES.items())
    schema_editor.execute(
        f"UPDATE search_entry SET position = CASE position {cases} ELSE position END"
        " WHERE position <= 10"
    )


def back(apps, schema_editor):
    cases = " ".join(f"WHEN {new} THEN {old}" for old, new in MOVES.items())
    schema_editor.execute(
        f"UPDATE search_entry SET position = CASE position {cases} ELSE position END"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(move, back)]
