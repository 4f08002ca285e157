"""The groups of search results: the registered kinds that have search entries, in order.

The kinds and their order come from the record registry (tracecode/codes/registry.py);
nothing here keeps a list of its own. A kind's `position` is also the band of its rows in
the SQLite FTS5 table, so it never changes once entries are written.
"""

from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry

OTHER = 1000  # entries of a kind nobody registers (any more) come last, as "Other"


def searchable():
    """The kinds the index holds entries of, in the order of their groups."""
    return [kind for kind in registry.every_kind() if kind.entries is not None]


def names() -> list[str]:
    return [kind.name for kind in searchable()]


def position(name: str) -> int:
    """The place of `name`'s group; unknown kinds come last."""
    for kind in searchable():
        if kind.name == name:
            return kind.position
    return OTHER


def positions() -> list[int]:
    return [kind.position for kind in searchable()] + [OTHER]


def label(name: str) -> str:
    for kind in searchable():
        if kind.name == name:
            return kind.label
    return _("Other")


def staff_wide_positions() -> frozenset[int]:
    """Kinds under no customer (the registers of materials and suppliers): their model's own
    visibility lets every member of staff read them, so every member of staff finds them."""
    return frozenset(kind.position for kind in searchable() if kind.customer_path is None)


def shown_title(name: str, title: str) -> str:
    """An entry's title in the reader's language, as its kind reads it."""
    return titles()(name, title)


def titles():
    """shown_title() for many rows: the kinds looked up once (a page of results holds a few
    hundred rows; looking each one's kind up in the registry cost 4 ms a search)."""
    readers = {kind.name: kind.search_title for kind in searchable() if kind.search_title}

    def shown(name: str, title: str) -> str:
        reader = readers.get(name)
        return reader(title) if reader else title

    return shown


def short_query_positions() -> list[int]:
    """Records worth a 1–2 character query: the entries with short titles (names, codes)."""
    return [kind.position for kind in searchable() if kind.short_query]
