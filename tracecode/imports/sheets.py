"""What a sheet of each kind holds: its columns, how a cell becomes a form's value and a record
becomes a row, and the registry of kinds that the import, the export, the templates, the
pages, the API and the command walk.

    Column("country", _("Country"), type="choice", choices=country_choices)

A column is matched to a header written in English or Chinese, by its key or an alias, in any
letter case or width (cells.key). Its cell is read as its type wants (cells.py) and, for a
choice, as the value, or its label in any language. Exports write the label in the reader's
language, the same values the template's drop-downs offer, so an export reads back.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tracecode.codes import registry as codes_registry

from . import cells

TYPES = ("text", "folded", "code", "date", "decimal", "integer", "bool", "choice", "several",
         "phone")  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet."""

    key: str  # the stable name, as the API and the command know it
    label: Any  # the header, translated (gettext_lazy)
    type: str = "text"
    field: str | None = ""  # the form field it fills ("": the key); None: the kind reads it
    required: bool = False  # a new row must give it (the template says so)
    choices: Callable[[], Iterable[tuple[str, Any]]] | None = None  # (value, label)
    help: Any = ""  # what the instructions sheet says of it
    example: Any = ""
    aliases: tuple[str, ...] = ()  # other headers it answers to (earlier exports, synonyms)
    get: Callable[[Any], Any] | None = None  # its value on a record; default: the attribute
    width: int = 16
    shows_value: bool = False  # a choice written as its value (USD, FOB), not its label
    read_only: bool = False  # exported for the reader, never imported (totals, computed class)

    def __post_init__(self):
        assert self.type in TYPES, self.type

    @property
    def form_field(self) -> str | None:
        if self.read_only:
            return None
        return self.key if self.field == "" else self.field

    @property
    def imported(self) -> bool:
        return not self.read_only

    def value(self, record):
        """The column's raw value on a record (a code, a choice's value, a date …)."""
        if self.get is not None:
            return self.get(record)
        return getattr(record, self.key, "")


@dataclass(frozen=True)
class Lines:
    """The second sheet of a kind with lines (order lines), joined to its header row by the
    header's code, or, for a new record that has no code yet, by the `ref` it was given."""

    label: Any  # the sheet's name: "Order lines"
    join: Column  # the column naming the header row: "Order"
    columns: list[Column]
    records: Callable[[Any], Iterable]  # the lines of a record, for the export


class Lookup:
    """What a choice column's cells may say, in every language: value → value, label →
    value. Built once per import, as the lists are then."""

    def __init__(self):
        self._tables: dict[str, dict[str, str | None]] = {}

    def table(self, column: Column) -> dict[str, str | None]:
        if column.key not in self._tables:
            table: dict[str, str | None] = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for value, label in column.choices():
                        for said in _spellings(str(value), str(label)):
                            known = table.get(cells.key(said), value)
                            # two values with one label: the label alone does not say which
                            table[cells.key(said)] = value if known == value else None
            for value, _label in column.choices():
                table[cells.key(value)] = value
            self._tables[column.key] = table
        return self._tables[column.key]

    def choice(self, column: Column, raw: str) -> str:
        if not raw:
            return ""
        found = self.table(column).get(cells.key(raw), "")
        if found is None:
            raise cells.CellError(
                _("%(value)s names more than one choice: give its code.") % {"value": raw}
            )
        if found == "":
            known = [str(label) for _value, label in column.choices()]
            listed = ", ".join(known[:8]) + (" …" if len(known) > 8 else "")
            raise cells.CellError(
                _("%(value)s is not one of the choices (%(choices)s).")
                % {"value": raw, "choices": listed}
            )
        return found


def _spellings(value: str, label: str) -> list[str]:
    """A choice as people may write it: its label, and for a code table's `01 · East China`
    also `East China`."""
    said = [label]
    if " · " in label:
        said.append(label.split(" · ", 1)[1])
    return said


def read_cell(column: Column, value, lookup: Lookup):
    """A cell as the form field of its column takes it; CellError when it cannot be."""
    kind = column.type
    if kind == "text":
        return cells.text(value)
    if kind == "folded":
        return cells.folded(value)
    if kind == "code":
        return codes_registry.normalise(cells.folded(value))
    if kind == "date":
        day = cells.date(value)
        return day.isoformat() if day else ""
    if kind in ("decimal", "integer"):
        return cells.number_text(value)
    if kind == "bool":
        answer = cells.boolean(value)
        return "true" if answer else "false"
    if kind == "phone":
        return cells.phone(value)
    if kind == "choice":
        return lookup.choice(column, cells.folded(value))
    if kind == "several":
        items = cells.several(value)
        if column.choices is not None:
            return [lookup.choice(column, item) for item in items]
        return items
    raise AssertionError(kind)


def display(column: Column, value, labels: dict | None = None):
    """A column's raw value as a sheet shows it, in the reader's language."""
    if value is None:
        return ""
    if column.type == "bool":
        return _("yes") if value else _("no")
    if column.type == "choice":
        if column.shows_value or not labels or value == "":
            return str(value)
        return str(labels.get(str(value), value))
    if column.type == "several":
        items = list(value or [])
        if labels:
            items = [str(labels.get(str(item), item)) for item in items]
        return "|".join(str(item) for item in items)
    if column.type == "phone":
        from tracecode.customers.countries import phone_display

        return phone_display(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, Decimal | int | float | datetime.date):
        return value
    return cells.safe(str(value))


def header_keys(column: Column) -> set[str]:
    """Every header that names a column: key, aliases, its label in each language."""
    names = {column.key, *column.aliases}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(column.label))
    return {cells.key(name) for name in names}


# Headers that belong to no column and are left out without asking: the Error column of a
# file of failing rows, uploaded again once fixed.
IGNORED = ("error", "errors", "错误", "错误原因")


@dataclass
class Matched:
    """A sheet's headers matched to columns: position → column key; unknown headers."""

    columns: dict[int, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    def header_of(self, key: str, header: list[str]) -> str | None:
        for position, name in self.columns.items():
            if name == key:
                return header[position]
        return None


def match(header: list[str], columns: list[Column], remembered: dict[str, str]) -> Matched:
    """Which column each header is: by name in any language, else as the user mapped it
    once (`remembered`: header key → column key, "" for "leave it out")."""
    by_key = {}
    for column in columns:
        for name in header_keys(column):
            by_key.setdefault(name, column.key)
    ignored = {cells.key(name) for name in IGNORED}
    with translation.override("en"):
        ignored.add(cells.key(_("Error")))
    matched = Matched()
    seen: dict[str, str] = {}
    for position, name in enumerate(header):
        if not name:
            continue
        said = cells.key(name)
        column = by_key.get(said)
        if column is None and said in remembered:
            column = remembered[said] or None
            if column is None:
                matched.ignored.append(name)
                continue
        if column is None:
            if said in ignored or said == cells.key(_("Error")):
                matched.ignored.append(name)
            else:
                matched.unknown.append(name)
            continue
        if column in seen:
            matched.repeated.append(name)
            continue
        seen[column] = name
        matched.columns[position] = column
    return matched


# --- the registry ---------------------------------------------------------------------------

_kinds: dict[str, Any] = {}


def register(kind) -> None:
    """Add a kind of sheet (registering a name again replaces it)."""
    _kinds[kind.name] = kind


def kinds(user=None) -> list:
    """Every kind, in the order of the import page; with `user`, those they may import or
    export."""
    found = sorted(_kinds.values(), key=lambda k: k.position)
    return [k for k in found if user is None or k.may_export(user)]


def get(name: str):
    """The kind called `name` (LookupError naming the known ones)."""
    if name not in _kinds:
        raise LookupError(
            _("No kind %(name)s (known: %(known)s).")
            % {"name": name, "known": ", ".join(k.name for k in kinds())}
        )
    return _kinds[name]
