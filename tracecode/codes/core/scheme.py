"""A coding scheme: how the code of one kind of record is built from its values."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import CodeOverflow, ParseError, ValueProblem
from .matching import parse_with, table_values
from .pattern import DatePart, FieldRef, Literal, ParentRef, Segment, Serial
from .pinyin import initials

LIMIT = 20
_FREE_VALUE = re.compile(r"[A-Z0-9]+")


@dataclass(frozen=True)
class Values:
    """What a record contributes to its code: parent code, field values and date."""

    parent: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    date: datetime.date | None = None


@dataclass(frozen=True)
class TableEntry:
    """The meaning of one value of a code table."""

    label: str
    label_zh: str


class Scheme:
    """One validated scheme; build it with `load()` or `SchemeSet.from_dicts()`."""

    def __init__(
        self,
        name: str,
        *,
        pattern: str,
        segments: list[Segment],
        label: str,
        label_zh: str,
        parent: str | None,
        tables: dict[str, dict[str, TableEntry]],
        start: int,
        step: int,
        on_overflow: str,
        scope: tuple[str, ...],
        max_length: int,
    ) -> None:
        self.name = name
        self.label = label
        self.label_zh = label_zh
        self.parent = parent
        self.pattern = pattern
        self.tables = tables
        self.start = start
        self.step = step
        self.on_overflow = on_overflow
        self.scope = scope
        self.max_length = max_length
        self.segments: tuple[Segment, ...] = tuple(segments)
        # Set by the SchemeSet that owns this scheme, once every parent is known to exist.
        self.parent_scheme: Scheme | None = None

    def __repr__(self) -> str:
        return f"Scheme({self.name!r}, {self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scheme):
            return NotImplemented
        return self.name == other.name and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.name, self.pattern))

    @property
    def field_names(self) -> tuple[str, ...]:
        """The fields a record must supply, in pattern order."""
        return tuple(s.name for s in self.segments if isinstance(s, FieldRef))

    @property
    def needs_parent(self) -> bool:
        """Whether codes contain the parent record's code."""
        return any(isinstance(s, ParentRef) for s in self.segments)

    @property
    def needs_date(self) -> bool:
        """Whether codes contain parts of the record's date."""
        return any(isinstance(s, DatePart) for s in self.segments)

    @property
    def serial(self) -> Serial:
        """The serial segment of the pattern."""
        return next(s for s in self.segments if isinstance(s, Serial))

    @property
    def serial_width(self) -> int:
        """The declared (minimum) number of digits of the serial."""
        return self.serial.width

    @property
    def serial_widens(self) -> bool:
        """Whether the serial grows a digit instead of overflowing."""
        return self.serial.widens or self.on_overflow == "widen"

    @property
    def first_serial(self) -> int:
        """The serial of the first code of every scope."""
        return self.start

    def next_serial(self, last: int | None) -> int:
        """Return the serial after `last` (the first serial when there is none yet)."""
        if last is None or last < self.start:
            return self.start
        # Rounds an off-step `last` (an imported legacy code) up to the next serial the scheme
        # can give, so counters always move past existing codes.
        return self.start + ((last - self.start) // self.step + 1) * self.step

    def longest_length(self) -> int:
        """Length of a code with every serial at its declared width and the longest parent."""
        return sum(self._width(s) for s in self.segments)

    def normalise(self, values: Values) -> Values:
        """Return `values` checked and in canonical form; raise ValueProblem if they do not fit."""
        fields: dict[str, str] = {}
        for ref in self.segments:
            if isinstance(ref, FieldRef):
                raw = values.fields.get(ref.name)
                if raw is None or not str(raw).strip():
                    raise ValueProblem(f"{ref.name} is required by scheme {self.name}", ref.name)
                fields[ref.name] = self._normalise_field(ref, str(raw))
        parent = self._normalise_parent(values.parent) if self.needs_parent else None
        if self.needs_date and values.date is None:
            raise ValueProblem(f"scheme {self.name} needs the record's date", "date")
        return Values(parent=parent, fields=fields, date=values.date if self.needs_date else None)

    def scope_key(self, values: Values) -> str:
        """Return the canonical name of the counter the record's serial comes from."""
        values = self.normalise(values)
        return self.scope_key_of(values.parent, values.fields, date_texts(values.date))

    def scope_key_of(
        self, parent: str | None, fields: Mapping[str, str], dates: Mapping[str, str]
    ) -> str:
        """Return the scope key from already canonical parts of a code."""
        parts = []
        for name in self.scope:
            if name == "parent":
                value = parent
            elif name in dates:
                value = dates[name]
            else:
                value = fields[name]
            parts.append(f"{name}={value}")
        return "|".join(parts)

    def format(self, values: Values, serial: int) -> str:
        """Return the code of a record with these values and this serial."""
        values = self.normalise(values)
        scope = self.scope_key_of(values.parent, values.fields, date_texts(values.date))
        self._check_serial(serial)
        digits = str(serial).zfill(self.serial_width)
        if len(digits) > self.serial_width and not self.serial_widens:
            raise CodeOverflow(
                f"scheme {self.name}: serial {serial} does not fit {self.serial.source} "
                f"in {_scope_words(scope)}; the scheme's codes there are used up "
                '(on_overflow = "error")',
                self.name,
                scope,
            )
        prefix, suffix = self.around_serial(values)
        code = prefix + digits + suffix
        if len(code) > self.max_length:
            raise CodeOverflow(
                f"scheme {self.name}: code {code} in {_scope_words(scope)} would have "
                f"{len(code)} characters, more than max_length {self.max_length}",
                self.name,
                scope,
            )
        return code

    def around_serial(self, values: Values) -> tuple[str, str]:
        """Return the code's text before and after its serial, for these values."""
        values = self.normalise(values)
        dates = date_texts(values.date)
        before: list[str] = []
        after: list[str] = []
        pieces = before
        for segment in self.segments:
            if isinstance(segment, Serial):
                pieces = after
            elif isinstance(segment, Literal):
                pieces.append(segment.text)
            elif isinstance(segment, ParentRef):
                pieces.append(values.parent or "")
            elif isinstance(segment, FieldRef):
                pieces.append(values.fields[segment.name])
            else:
                pieces.append(dates[segment.name])
        return "".join(before), "".join(after)

    def as_dict(self) -> dict[str, Any]:
        """Return the scheme as plain JSON-able data that `SchemeSet.from_dicts` reads back."""
        data: dict[str, Any] = {"label": self.label, "label_zh": self.label_zh}
        data["pattern"] = self.pattern
        if self.parent is not None:
            data["parent"] = self.parent
        if self.tables:
            data["tables"] = {
                name: {
                    value: {"label": entry.label, "label_zh": entry.label_zh}
                    for value, entry in table.items()
                }
                for name, table in self.tables.items()
            }
        data.update(
            start=self.start,
            step=self.step,
            on_overflow=self.on_overflow,
            scope=list(self.scope),
            max_length=self.max_length,
        )
        return data

    def _width(self, segment: Segment) -> int:
        if isinstance(segment, Literal):
            return len(segment.text)
        if isinstance(segment, ParentRef):
            return self.parent_scheme.longest_length() if self.parent_scheme else 0
        if isinstance(segment, FieldRef):
            return self.field_width(segment)
        return segment.width

    def field_width(self, ref: FieldRef) -> int:
        """Return the number of characters a field takes in the code."""
        table = self.tables.get(ref.name)
        if table and not ref.initials:
            return len(next(iter(table)))
        return ref.width or 0

    def _normalise_field(self, ref: FieldRef, raw: str) -> str:
        table = None if ref.initials else self.tables.get(ref.name)
        text = raw.strip()
        if table is not None:
            if text in table:
                return text
            for value in table:
                if value.upper() == text.upper():
                    return value
            raise ValueProblem(
                f"{ref.name} {text!r} is not in table {ref.name} ({table_values(table)})",
                ref.name,
            )
        width = self.field_width(ref)
        if ref.initials:
            letters = initials(text)
            if len(letters) < width:
                raise ValueProblem(
                    f"{ref.name} {text!r} gives {len(letters)} pinyin initial letter(s) "
                    f"({letters or 'none'}); {width} needed",
                    ref.name,
                )
            return letters[:width]
        value = text.upper()
        if len(value) != width or not _FREE_VALUE.fullmatch(value):
            raise ValueProblem(
                f"{ref.name} {text!r} must be exactly {width} characters A-Z or 0-9", ref.name
            )
        return value

    def _normalise_parent(self, parent: str | None) -> str:
        owner = self.parent_scheme
        if owner is None:
            raise ValueProblem(f"scheme {self.name} has no parent scheme loaded", "parent")
        if parent is None or not parent.strip():
            raise ValueProblem(
                f"scheme {self.name} needs the parent's code (a {owner.label} code)", "parent"
            )
        code = parent.strip()
        try:
            parse_with(owner, code)
        except ParseError as error:
            raise ValueProblem(
                f"parent {code!r} is not a {owner.label} code: {error}", "parent"
            ) from error
        return code

    def _check_serial(self, serial: int) -> None:
        if isinstance(serial, bool) or not isinstance(serial, int):
            raise ValueProblem(f"serial {serial!r} is not a whole number", "serial")
        if serial < self.start or (serial - self.start) % self.step:
            raise ValueProblem(
                f"serial {serial} cannot be given by scheme {self.name} "
                f"(start {self.start}, step {self.step})",
                "serial",
            )


def date_texts(date: datetime.date | None) -> dict[str, str]:
    """Return the texts of the date placeholders for a date."""
    if date is None:
        return {}
    return {
        "YYYY": f"{date.year:04d}",
        "YY": f"{date.year % 100:02d}",
        "MM": f"{date.month:02d}",
        "DD": f"{date.day:02d}",
    }


def _scope_words(scope: str) -> str:
    return f"scope {scope!r}" if scope else "the single global scope"
