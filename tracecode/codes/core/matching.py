"""Reading codes back: the exact matcher, and the regex that finds candidates in text."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ParseError
from .pattern import DATE_PARTS, DatePart, FieldRef, Literal, ParentRef, Segment, Serial

if TYPE_CHECKING:
    from .scheme import Scheme, TableEntry

# A code never starts or ends inside a run of ASCII letters and digits. Everything else
# (space, punctuation, "_" of file names, "-" after a code, Chinese text) is a boundary.
TOKEN_CHAR = "A-Za-z0-9"
_DIGITS = frozenset("0123456789")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_OR_DIGIT = _UPPER | _DIGITS


@dataclass
class Match:
    """A code of `scheme` at text[start:end], split into its segments."""

    scheme: Scheme
    start: int
    end: int
    pieces: list[tuple[Segment, str]]
    parent: Match | None
    fields: dict[str, str]
    date_parts: dict[str, str]
    serial: int

    @property
    def code(self) -> str:
        """The matched code."""
        return "".join(text for _, text in self.pieces)


@dataclass
class Miss:
    """Where and why a text stops being a code of `scheme`."""

    scheme: Scheme
    position: int
    expected: str
    # Where the segment that failed begins: of two misses at the same position, the one
    # that got further through its pattern (a placeholder, not half a literal) is closer.
    segment_start: int = -1

    def __post_init__(self) -> None:
        if self.segment_start < 0:
            self.segment_start = self.position


def match(scheme: Scheme, text: str, start: int = 0, whole: bool = True) -> Match | Miss:
    """Match a code of `scheme` at `start`: all of `text` if `whole`, else the longest prefix."""
    position = start
    pieces: list[tuple[Segment, str]] = []
    parent: Match | None = None
    fields: dict[str, str] = {}
    dates: dict[str, tuple[int, str]] = {}
    serial = 0
    for segment in scheme.segments:
        if isinstance(segment, Literal):
            end = position + len(segment.text)
            same = _common_prefix(text[position:end], segment.text)
            if same < len(segment.text):
                return Miss(scheme, position + same, repr(segment.text[same:]), position)
        elif isinstance(segment, ParentRef):
            assert scheme.parent_scheme is not None
            inner = match(scheme.parent_scheme, text, position, whole=False)
            if isinstance(inner, Miss):
                where = f"{inner.expected} (in the {scheme.parent_scheme.name} code)"
                return Miss(scheme, inner.position, where, inner.segment_start)
            parent, end = inner, inner.end
        elif isinstance(segment, FieldRef):
            found = _match_field(scheme, segment, text, position)
            if isinstance(found, Miss):
                return found
            end = found
            fields[segment.name] = text[position:end]
        elif isinstance(segment, DatePart):
            found = _match_date(scheme, segment, text, position)
            if isinstance(found, Miss):
                return found
            end = found
            dates[segment.name] = (position, text[position:end])
        else:
            found = _match_serial(scheme, segment, text, position)
            if isinstance(found, Miss):
                return found
            end = found
            serial = int(text[position:end])
        pieces.append((segment, text[position:end]))
        position = end
    if whole and position != len(text):
        return Miss(scheme, position, "the end of the code")
    if position - start > scheme.max_length:
        limit = f"the end of the code (at most {scheme.max_length} characters)"
        return Miss(scheme, start + scheme.max_length, limit)
    bad_day = _impossible_day(dates)
    if bad_day is not None:
        return Miss(scheme, bad_day, "a day that exists in that month")
    date_parts = {name: value for name, (_, value) in dates.items()}
    return Match(scheme, start, position, pieces, parent, fields, date_parts, serial)


def parse_with(scheme: Scheme, code: str) -> Match:
    """Match all of `code` against one scheme, or raise ParseError."""
    found = match(scheme, code)
    if isinstance(found, Miss):
        raise miss_error(code, found, closest=False)
    return found


def miss_error(code: str, miss: Miss, closest: bool) -> ParseError:
    """Turn a Miss into a ParseError saying what was expected where."""
    position = miss.position
    found = f"found {code[position]!r}" if position < len(code) else "but the code ends there"
    scheme = miss.scheme
    if closest:
        message = (
            f"{code!r} matches no scheme; the closest is {scheme.name} ({scheme.pattern}), "
            f"which expects {miss.expected} at position {position}, {found}"
        )
    else:
        message = (
            f"{code!r} is not a code of scheme {scheme.name} ({scheme.pattern}): "
            f"expected {miss.expected} at position {position}, {found}"
        )
    return ParseError(message, position, code=code, scheme=scheme.name, expected=miss.expected)


def scheme_regex(scheme: Scheme) -> str:
    """Return a regex (no groups) that matches at least every code of the scheme."""
    parts = []
    for segment in scheme.segments:
        if isinstance(segment, Literal):
            parts.append(re.escape(segment.text))
        elif isinstance(segment, ParentRef):
            assert scheme.parent_scheme is not None
            parts.append(f"(?:{scheme_regex(scheme.parent_scheme)})")
        elif isinstance(segment, FieldRef):
            table = None if segment.initials else scheme.tables.get(segment.name)
            width = scheme.field_width(segment)
            if table:
                parts.append("(?:" + "|".join(re.escape(v) for v in table) + ")")
            elif segment.initials:
                parts.append(f"[A-Z]{{{width}}}")
            else:
                parts.append(f"[A-Z0-9]{{{width}}}")
        elif isinstance(segment, DatePart):
            parts.append(_DATE_REGEX[segment.name])
        else:
            width = segment.width
            if scheme.serial_widens:
                parts.append(f"(?:[1-9][0-9]{{{width},}}|[0-9]{{{width}}})")
            else:
                parts.append(f"[0-9]{{{width}}}")
    return "".join(parts)


def table_values(table: Mapping[str, TableEntry], limit: int = 12) -> str:
    """Return the values of a table for a message, shortened when there are many."""
    values = list(table)
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown}, … ({len(values)} values)"


_DATE_REGEX = {
    "YYYY": "[0-9]{4}",
    "YY": "[0-9]{2}",
    "MM": "(?:0[1-9]|1[0-2])",
    "DD": "(?:0[1-9]|[12][0-9]|3[01])",
}
_DATE_RANGE = {"MM": (1, 12), "DD": (1, 31)}


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _run(text: str, position: int, chars: frozenset[str], limit: int | None = None) -> int:
    end = position
    stop = len(text) if limit is None else min(len(text), position + limit)
    while end < stop and text[end] in chars:
        end += 1
    return end - position


def _match_field(scheme: Scheme, ref: FieldRef, text: str, position: int) -> int | Miss:
    width = scheme.field_width(ref)
    table = None if ref.initials else scheme.tables.get(ref.name)
    if table:
        if text[position : position + width] in table:
            return position + width
        best = max(_common_prefix(text[position : position + width], v) for v in table)
        return Miss(scheme, position + best, f"{ref.name} ({table_values(table)})", position)
    if ref.initials:
        got = _run(text, position, _UPPER, width)
        if got < width:
            return Miss(scheme, position + got, f"{ref.name}: {width} letters A-Z", position)
    else:
        got = _run(text, position, _UPPER_OR_DIGIT, width)
        if got < width:
            return Miss(
                scheme, position + got, f"{ref.name}: {width} characters A-Z or 0-9", position
            )
    return position + width


def _match_date(scheme: Scheme, part: DatePart, text: str, position: int) -> int | Miss:
    width, label, _ = DATE_PARTS[part.name]
    got = _run(text, position, _DIGITS, width)
    if got < width:
        return Miss(
            scheme, position + got, f"{label.lower()} {part.name} ({width} digits)", position
        )
    low_high = _DATE_RANGE.get(part.name)
    if low_high and not low_high[0] <= int(text[position : position + width]) <= low_high[1]:
        low, high = low_high
        return Miss(
            scheme, position, f"{label.lower()} {part.name} ({low:02d}-{high:02d})", position
        )
    return position + width


def _match_serial(scheme: Scheme, serial: Serial, text: str, position: int) -> int | Miss:
    width = serial.width
    got = _run(text, position, _DIGITS)
    widens = scheme.serial_widens
    if got < width:
        need = f"at least {width}" if widens else f"{width}"
        return Miss(scheme, position + got, f"the serial ({need} digits)", position)
    if not widens:
        got = width
    elif got > width and text[position] == "0":
        return Miss(
            scheme, position, f"the serial ({width} digits, or more without a leading 0)", position
        )
    value = int(text[position : position + got])
    if value < scheme.start or (value - scheme.start) % scheme.step:
        steps = f" in steps of {scheme.step}" if scheme.step > 1 else ""
        return Miss(scheme, position, f"a serial from {scheme.start}{steps}", position)
    return position + got


def _impossible_day(dates: dict[str, tuple[int, str]]) -> int | None:
    if "DD" not in dates or "MM" not in dates:
        return None
    if "YYYY" in dates:
        year = int(dates["YYYY"][1])
    elif "YY" in dates:
        year = 2000 + int(dates["YY"][1])
    else:
        year = 2000  # a leap year: without a year, 29 February is possible
    try:
        datetime.date(max(year, 1), int(dates["MM"][1]), int(dates["DD"][1]))
    except ValueError:
        return dates["DD"][0]
    return None
