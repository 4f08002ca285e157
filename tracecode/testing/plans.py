"""Whether a query can be answered off one index, on either database."""

from django.db import OperationalError, connection, transaction

OTHER_INDEXES = """
SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s AND i.relname != %s
AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


def answered_off(table: str, index: str, sql: str, params, alone: bool = False) -> bool:
    """Whether the query can be answered off `index` of `table`, run with its own parameters
    (SQLite uses a partial index only where the query names the index's states as constants,
    never for bound parameters). SQLite: INDEXED BY refuses a query the index cannot answer.
    PostgreSQL: with the table's other indexes and plain scans out of the way, the plan names
    it; with `alone`, as an index-only scan (the rows' columns read off the index, not the
    table: on SQLite every index holds the rowid)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = sql.replace(f'FROM "{table}"', f'FROM "{table}" INDEXED BY "{index}"', 1)
            try:
                cursor.execute(sql, params)
            except OperationalError:  # "no query solution"
                return False
            return True
        cursor.execute(OTHER_INDEXES, [table, index])
        for (other,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{other}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        if alone:  # an index's plain scan is index-only wherever it can be
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
        return f"Index Only Scan using {index} " in plan if alone else index in plan
