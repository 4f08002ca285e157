"""The migrations create each database's own full-text objects."""

import pytest
from django.db import connection

from tracecode.search import kinds

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
            definition = cursor.fetchone()[0]
            assert "trigram" in definition and "grams" in definition
        else:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_entry'"
            )
            indexes = dict(cursor.fetchall())
            for position in kinds.positions():  # one index per kind: readers, trigrams, grams
                definition = indexes[f"search_entry_find_{position}"]
                assert "search_keys(readers, id)" in definition
                assert "search_trigrams(" in definition
                assert "string_to_array(grams" in definition
                assert f'WHERE ("position" = {position})' in definition
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname IN"
                " ('search_entry_readers', 'search_customer_readers', 'search_share_readers')"
            )
            assert len(cursor.fetchall()) == 3
            assert "INCLUDE (customer_id)" in indexes["search_entry_position"]
