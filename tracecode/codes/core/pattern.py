"""The pattern language: literal text and {placeholders}, split into segments."""

from __future__ import annotations

import re
from dataclasses import dataclass

DATE_PARTS: dict[str, tuple[int, str, str]] = {
    "YYYY": (4, "Year", "年"),
    "YY": (2, "Year", "年"),
    "MM": (2, "Month", "月"),
    "DD": (2, "Day", "日"),
}
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_WIDTH = 20

_SERIAL = re.compile(r"serial:(\d+)(\+?)")
_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?::(initials):(\d+)|:(\d+))?")


@dataclass(frozen=True)
class Literal:
    """Text copied into every code."""

    text: str

    @property
    def source(self) -> str:
        """The segment as written in the pattern."""
        return self.text


@dataclass(frozen=True)
class Serial:
    """The counter: `width` digits, zero-padded; `widens` when written {serial:N+}."""

    width: int
    widens: bool

    @property
    def source(self) -> str:
        """The segment as written in the pattern."""
        return f"{{serial:{self.width}{'+' if self.widens else ''}}}"


@dataclass(frozen=True)
class DatePart:
    """A part (YYYY, YY, MM, DD) of the record's date."""

    name: str

    @property
    def width(self) -> int:
        """Number of digits of the part."""
        return DATE_PARTS[self.name][0]

    @property
    def source(self) -> str:
        """The segment as written in the pattern."""
        return f"{{{self.name}}}"


@dataclass(frozen=True)
class ParentRef:
    """The parent record's code."""

    @property
    def source(self) -> str:
        """The segment as written in the pattern."""
        return "{parent}"


@dataclass(frozen=True)
class FieldRef:
    """A record field: from a table (width None here), free [A-Z0-9]{width}, or initials."""

    name: str
    width: int | None
    initials: bool = False

    @property
    def source(self) -> str:
        """The segment as written in the pattern."""
        if self.initials:
            return f"{{{self.name}:initials:{self.width}}}"
        if self.width is not None:
            return f"{{{self.name}:{self.width}}}"
        return f"{{{self.name}}}"


Segment = Literal | Serial | DatePart | ParentRef | FieldRef


def parse_pattern(pattern: str) -> tuple[list[Segment], list[str]]:
    """Split a pattern into segments; also return the problems found, as messages."""
    segments: list[Segment] = []
    problems: list[str] = []
    literal: list[str] = []
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "{":
            close = pattern.find("}", position + 1)
            reopen = pattern.find("{", position + 1)
            if close == -1 or (reopen != -1 and reopen < close):
                problems.append(f"'{{' at character {position + 1} is not closed by '}}'")
                position += 1
                continue
            if literal:
                segments.append(Literal("".join(literal)))
                literal = []
            body = pattern[position + 1 : close]
            segment, problem = _placeholder(body)
            if segment is not None:
                segments.append(segment)
            if problem:
                problems.append(problem)
            position = close + 1
            continue
        if char == "}":
            problems.append(f"'}}' at character {position + 1} has no '{{'")
        elif char.isspace() or not char.isprintable():
            problems.append(f"codes cannot contain spaces or control characters ({char!r})")
        else:
            literal.append(char)
        position += 1
    if literal:
        segments.append(Literal("".join(literal)))
    return segments, problems


def _placeholder(body: str) -> tuple[Segment | None, str | None]:
    if body == "parent":
        return ParentRef(), None
    if body in DATE_PARTS:
        return DatePart(body), None
    if body == "serial" or body.startswith("serial:"):
        match = _SERIAL.fullmatch(body)
        if not match:
            return None, f"{{{body}}}: the serial needs a width, e.g. {{serial:3}} or {{serial:3+}}"
        serial_width = int(match.group(1))
        if not 1 <= serial_width <= MAX_WIDTH:
            return None, f"{{{body}}}: a width must be 1 to {MAX_WIDTH}"
        return Serial(serial_width, bool(match.group(2))), None
    field = _FIELD.fullmatch(body)
    if not field or field.group(1) in ("parent", *DATE_PARTS):
        return None, f"unknown placeholder {{{body}}}"
    name, initials, initials_width, width = field.groups()
    digits = initials_width or width
    if digits is not None and not 1 <= int(digits) <= MAX_WIDTH:
        return None, f"{{{body}}}: a width must be 1 to {MAX_WIDTH}"
    return FieldRef(name, int(digits) if digits else None, bool(initials)), None
