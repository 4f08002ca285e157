"""The migrations create each database's own full-text objects."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_database_has_its_full_text_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'search_entry_fts%%'"
                " AND type IN ('table', 'trigger')"
            )
            names = {row[0] for row in cursor.fetchall()}
            assert {"search_entry_fts", "search_entry_fts_insert", "search_entry_fts_delete",
                    "search_entry_fts_update"} <= names  # fmt: skip
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_entry_fts'")
            assert "trigram" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_trgm'")
            assert "gin_trgm_ops" in cursor.fetchone()[0]
