"""Turning raw scheme definitions (TOML or stored dicts) into validated Schemes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .pattern import (
    FIELD_NAME,
    DatePart,
    FieldRef,
    Literal,
    ParentRef,
    Segment,
    Serial,
    parse_pattern,
)
from .scheme import LIMIT, Scheme, TableEntry

LineOf = Callable[..., int | None]
KEYS = (
    "label",
    "label_zh",
    "pattern",
    "parent",
    "tables",
    "start",
    "step",
    "on_overflow",
    "scope",
    "max_length",
)
ENTRY_KEYS = ("label", "label_zh")
_BAD_VALUE_CHARS = re.compile(r"[{}|=\s]")


def no_lines(*_keys: str) -> None:
    """Line lookup for definitions that do not come from a file."""
    return None


def build(
    raw: Mapping[str, Any], line_of: LineOf = no_lines
) -> tuple[dict[str, Scheme], list[Problem]]:
    """Validate scheme definitions by name; return the schemes and every problem found."""
    problems: list[Problem] = []
    built: dict[str, Scheme] = {}
    for name, definition in raw.items():
        scheme, found = _build_scheme(str(name), definition, line_of)
        problems.extend(found)
        if scheme is not None:
            built[scheme.name] = scheme
    problems.extend(_link_parents(built, raw, line_of))
    for scheme in built.values():
        if _chain_is_linked(scheme):
            problems.extend(_check_whole(scheme, line_of))
    problems.sort(key=lambda p: p.line if p.line is not None else 1 << 30)
    return built, problems


class _Report:
    """Collects the problems of one scheme, located by key."""

    def __init__(self, scheme: str, line_of: LineOf) -> None:
        self.scheme = scheme
        self.line_of = line_of
        self.problems: list[Problem] = []

    def add(self, message: str, field: str | None, *keys: str) -> None:
        path = keys or ((field,) if field else ())
        line = self.line_of("scheme", self.scheme, *path)
        self.problems.append(Problem(message, line, self.scheme, field))


def _build_scheme(name: str, raw: Any, line_of: LineOf) -> tuple[Scheme | None, list[Problem]]:
    report = _Report(name, line_of)
    if not FIELD_NAME.fullmatch(name):
        report.add("a scheme name is letters, digits and _, starting with a letter or _", None)
    if not isinstance(raw, Mapping):
        report.add("a scheme must be a table: [scheme.NAME] with a pattern", None)
        return None, report.problems
    for key in raw:
        if key not in KEYS:
            report.add(f"unknown key {key!r} (known keys: {', '.join(KEYS)})", str(key))
    label = _text(raw, "label", report) or name.replace("_", " ").capitalize()
    label_zh = _text(raw, "label_zh", report) or label
    pattern = _text(raw, "pattern", report)
    if not pattern:
        report.add('a scheme needs a pattern, e.g. pattern = "RK{serial:3+}"', "pattern")
        return None, report.problems
    segments, messages = parse_pattern(pattern)
    for message in messages:
        report.add(message, "pattern")
    parent = _text(raw, "parent", report)
    _check_placeholders(segments, parent, report, complete=not messages)
    tables = _tables(raw.get("tables", {}), segments, report)
    _check_fields(segments, tables, report)
    start = _whole(raw, "start", 1, 0, None, report)
    step = _whole(raw, "step", 1, 1, None, report)
    max_length = _whole(raw, "max_length", LIMIT, 1, LIMIT, report)
    on_overflow = raw.get("on_overflow", "error")
    if on_overflow not in ("error", "widen"):
        report.add(f'on_overflow must be "error" or "widen", not {on_overflow!r}', "on_overflow")
    scope = _scope(raw, segments, report)
    serials = [s for s in segments if isinstance(s, Serial)]
    fixed = len(serials) == 1 and not serials[0].widens and on_overflow != "widen"
    if fixed and len(str(start)) > serials[0].width:
        report.add(f"start {start} does not fit {serials[0].source}", "start")
    if report.problems:
        return None, report.problems
    return (
        Scheme(
            name,
            pattern=pattern,
            segments=segments,
            label=label,
            label_zh=label_zh,
            parent=parent,
            tables=tables,
            start=start,
            step=step,
            on_overflow=str(on_overflow),
            scope=scope,
            max_length=max_length,
        ),
        [],
    )


def _text(raw: Mapping[str, Any], key: str, report: _Report) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        report.add(f"{key} must be a string", key)
        return None
    return value.strip() or None


def _whole(
    raw: Mapping[str, Any], key: str, default: int, low: int, high: int | None, report: _Report
) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        report.add(f"{key} must be a whole number of at least {low}", key)
        return default
    if high is not None and value > high:
        report.add(f"{key} must be at most {high} (codes have at most {LIMIT} characters)", key)
        return default
    return value


def _check_placeholders(
    segments: list[Segment], parent: str | None, report: _Report, complete: bool
) -> None:
    serials = [s for s in segments if isinstance(s, Serial)]
    # A malformed {serial…} was reported already; "no serial" would only repeat it.
    if not serials and complete:
        report.add("the pattern has no serial: add {serial:N} or {serial:N+}", "pattern")
    elif len(serials) > 1:
        report.add("the pattern has more than one serial; a code has exactly one", "pattern")
    parents = sum(isinstance(s, ParentRef) for s in segments)
    if parents and parent is None:
        report.add("the pattern uses {parent} but the scheme names no parent", "pattern")
    if parent is not None and not parents:
        report.add(f"parent is {parent!r} but the pattern has no {{parent}}", "parent")
    seen: set[str] = set()
    for segment in segments:
        key = _placeholder_name(segment)
        if key is None:
            continue
        if key in seen:
            report.add(f"{segment.source} appears more than once in the pattern", "pattern")
        seen.add(key)
    if {"YYYY", "YY"} <= seen:
        report.add("use either {YYYY} or {YY}, not both", "pattern")


def _placeholder_name(segment: Segment) -> str | None:
    if isinstance(segment, FieldRef):
        return segment.name
    if isinstance(segment, DatePart):
        return segment.name
    if isinstance(segment, ParentRef):
        return "parent"
    return None


def _tables(raw: Any, segments: list[Segment], report: _Report) -> dict[str, dict[str, TableEntry]]:
    if not isinstance(raw, Mapping):
        report.add("tables must be a table of code tables: [scheme.NAME.tables.FIELD]", "tables")
        return {}
    used = {s.name for s in segments if isinstance(s, FieldRef) and not s.initials}
    tables: dict[str, dict[str, TableEntry]] = {}
    for name, table in raw.items():
        where = f"tables.{name}"
        if name not in used:
            report.add(
                f"table {name} is not used: the pattern has no {{{name}}}", where, "tables", name
            )
            continue
        if not isinstance(table, Mapping) or not table:
            report.add(f'table {name} must list its values: VALUE = "label"', where, "tables", name)
            continue
        entries = {}
        for value, entry in table.items():
            parsed = _entry(name, str(value), entry, report)
            if parsed is not None:
                entries[str(value)] = parsed
        widths = {len(value) for value in entries}
        if len(widths) > 1:
            sample = ", ".join(f"{v} ({len(v)})" for v in entries)
            report.add(
                f"table {name} has values of unequal width: {sample}; all must be equally wide",
                where,
                "tables",
                name,
            )
        tables[name] = entries
    return tables


def _entry(table: str, value: str, entry: Any, report: _Report) -> TableEntry | None:
    where = ("tables", table, value)
    field = f"tables.{table}"
    if not value or _BAD_VALUE_CHARS.search(value) or not value.isprintable():
        report.add(
            f"value {value!r} of table {table} may not be empty or contain spaces or {{}}|=",
            field,
            *where,
        )
        return None
    if isinstance(entry, str):
        return TableEntry(entry, entry)
    if not isinstance(entry, Mapping):
        report.add(
            f'{table}.{value} must be "label" or {{ label = "…", label_zh = "…" }}', field, *where
        )
        return None
    for key in entry:
        if key not in ENTRY_KEYS:
            report.add(
                f"unknown key {key!r} in {table}.{value} (known: label, label_zh)", field, *where
            )
    label, label_zh = entry.get("label"), entry.get("label_zh", entry.get("label"))
    if not isinstance(label, str) or not isinstance(label_zh, str):
        report.add(f"{table}.{value} needs a label (text) and optionally label_zh", field, *where)
        return None
    return TableEntry(label, label_zh)


def _check_fields(
    segments: list[Segment], tables: dict[str, dict[str, TableEntry]], report: _Report
) -> None:
    for segment in segments:
        if not isinstance(segment, FieldRef) or segment.initials:
            continue
        table = tables.get(segment.name)
        if segment.width is None and table is None:
            report.add(
                f"unknown placeholder {segment.source}: there is no table tables.{segment.name}, "
                f"and a field without a table needs a width, e.g. {{{segment.name}:2}}",
                "pattern",
            )
        elif segment.width is not None and table:
            width = len(next(iter(table)))
            if width != segment.width:
                report.add(
                    f"{segment.source} is {segment.width} wide but the values of table "
                    f"{segment.name} are {width} wide",
                    "pattern",
                )


def _scope(raw: Mapping[str, Any], segments: list[Segment], report: _Report) -> tuple[str, ...]:
    names = [n for n in map(_placeholder_name, segments) if n is not None]
    if "scope" not in raw:
        before: list[str] = []
        for segment in segments:
            if isinstance(segment, Serial):
                break
            name = _placeholder_name(segment)
            if name is not None and name not in before:
                before.append(name)
        return tuple(before)
    scope = raw["scope"]
    if not isinstance(scope, list) or not all(isinstance(n, str) for n in scope):
        report.add('scope must be a list of names, e.g. scope = ["region", "kind"]', "scope")
        return ()
    for name in scope:
        if name == "serial":
            report.add("the serial cannot be part of its own scope", "scope")
        elif name not in names:
            report.add(
                f"scope names {name!r}, which is not in the pattern: codes that differ only in "
                f"{name} would be identical, so the scheme cannot produce unique codes",
                "scope",
            )
    if len(set(scope)) != len(scope):
        report.add("scope names a field more than once", "scope")
    return tuple(scope)


def _link_parents(
    built: dict[str, Scheme], raw: Mapping[str, Any], line_of: LineOf
) -> list[Problem]:
    problems: list[Problem] = []
    for scheme in built.values():
        if scheme.parent is None:
            continue
        if scheme.parent not in raw:
            known = ", ".join(str(n) for n in raw) or "none"
            problems.append(
                Problem(
                    f"parent {scheme.parent!r} is not a scheme here (schemes: {known})",
                    line_of("scheme", scheme.name, "parent"),
                    scheme.name,
                    "parent",
                )
            )
        elif scheme.parent in built:
            scheme.parent_scheme = built[scheme.parent]
    cycles = {name: _cycle(scheme) for name, scheme in built.items()}
    for name, chain in cycles.items():
        if chain:
            built[name].parent_scheme = None
            problems.append(
                Problem(
                    f"parent chain {' → '.join(chain)} is a cycle",
                    line_of("scheme", name, "parent"),
                    name,
                    "parent",
                )
            )
    return problems


def _cycle(scheme: Scheme) -> list[str]:
    chain = [scheme.name]
    current = scheme.parent_scheme
    while current is not None:
        chain.append(current.name)
        if current is scheme:
            return chain
        if current.name in chain[:-1]:
            return []  # a cycle further up, reported on its own members
        current = current.parent_scheme
    return []


def _chain_is_linked(scheme: Scheme) -> bool:
    current: Scheme | None = scheme
    seen: set[str] = set()
    while current is not None:
        if current.name in seen:
            return False
        seen.add(current.name)
        if current.parent is not None and current.parent_scheme is None:
            return False
        current = current.parent_scheme
    return True


@dataclass(frozen=True)
class _Atom:
    """A piece of the fully expanded pattern, for the unambiguity check."""

    source: str
    owner: str
    variable: bool
    starts_with_digit: bool


def _atoms(scheme: Scheme) -> list[_Atom]:
    atoms: list[_Atom] = []
    for segment in scheme.segments:
        if isinstance(segment, ParentRef):
            assert scheme.parent_scheme is not None
            atoms.extend(_atoms(scheme.parent_scheme))
            continue
        if isinstance(segment, Literal):
            digit = segment.text[0] in "0123456789"
        elif isinstance(segment, FieldRef):
            table = None if segment.initials else scheme.tables.get(segment.name)
            digit = any(v[0] in "0123456789" for v in table) if table else not segment.initials
        else:
            digit = True
        variable = isinstance(segment, Serial) and scheme.serial_widens
        atoms.append(_Atom(segment.source, scheme.name, variable, digit))
    return atoms


def _check_whole(scheme: Scheme, line_of: LineOf) -> list[Problem]:
    problems = []
    line = line_of("scheme", scheme.name, "pattern")
    atoms = _atoms(scheme)
    for first, then in zip(atoms, atoms[1:], strict=False):
        if scheme.name not in (first.owner, then.owner):
            continue
        if first.variable and then.starts_with_digit:
            problems.append(
                Problem(
                    f"{_name(first, scheme)} can have any number of digits and is followed "
                    f"directly by {_name(then, scheme)}, which can start with a digit: codes "
                    "could not be parsed back unambiguously (put a letter or '-' between them)",
                    line,
                    scheme.name,
                    "pattern",
                )
            )
    longest = scheme.longest_length()
    if longest > scheme.max_length:
        problems.append(
            Problem(
                f"codes can have {longest} characters (each serial at its declared width, the "
                f"parent at its longest), more than max_length {scheme.max_length}",
                line,
                scheme.name,
                "pattern",
            )
        )
    return problems


def _name(atom: _Atom, scheme: Scheme) -> str:
    if atom.owner == scheme.name:
        return atom.source
    return f"{atom.source} of the {atom.owner} code in {{parent}}"
