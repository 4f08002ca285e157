"""One search interface, one module per database: the SQL each database runs best.

Every module offers the same functions, each returning `common.Row`s grouped by kind (the
kind's position), at most `limit` per group, with the group's count of visible matches:

    code_hits(codes, visible, limit, positions)     entries found under one of `codes`
    prefix_hits(prefixes, visible, limit, positions) entries whose own code starts so
    text_hits(terms, visible, limit, positions)     entries holding every term (3+ characters,
                                                    or 1–2 CJK characters; newest first)
    short_hits(term, visible, limit, positions)     1–2 characters: codes and short titles
    optimize()                                      after a bulk load or reindex
    rebuild()                                       the full-text half again from the entries

`visible` is None (the user sees everything) or the SQL and parameters of the ids of the
customers the user may see: it filters inside the query, before any limit or count.
"""

from django.db import connection

from . import postgresql, sqlite


def current():
    """The backend module of the default database."""
    return postgresql if connection.vendor == "postgresql" else sqlite
