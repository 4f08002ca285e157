"""A set of schemes that refer to each other: loading, parsing, explaining and finding codes."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from .errors import ParseError, Problem, SchemeError
from .explain import Explanation, Found, Parsed, explain_match
from .matching import TOKEN_CHAR, Match, Miss, match, miss_error, scheme_regex
from .scheme import Scheme
from .tomllines import LineMap
from .validate import build

_TOML_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


class SchemeSet(Mapping[str, Scheme]):
    """Validated schemes by name, in definition order; build with `load()` or `from_dicts()`."""

    def __init__(self, schemes: Mapping[str, Scheme]) -> None:
        self._schemes = dict(schemes)

    def __getitem__(self, name: str) -> Scheme:
        return self._schemes[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemes)

    def __len__(self) -> int:
        return len(self._schemes)

    def __repr__(self) -> str:
        return f"SchemeSet({list(self._schemes)})"

    @classmethod
    def from_dicts(cls, definitions: Mapping[str, Mapping[str, Any]]) -> SchemeSet:
        """Build a set from `{name: Scheme.as_dict()}`; raise SchemeError if it is invalid."""
        schemes, problems = build(definitions)
        if problems:
            raise SchemeError(problems)
        return cls(schemes)

    def as_dicts(self) -> dict[str, dict[str, Any]]:
        """Return every scheme as plain data, in order."""
        return {name: scheme.as_dict() for name, scheme in self._schemes.items()}

    def merged(self, other: SchemeSet) -> SchemeSet:
        """Return this set with `other`'s schemes added, replacing those of the same name."""
        return SchemeSet.from_dicts({**self.as_dicts(), **other.as_dicts()})

    def parse(self, code: str, scheme: str | None = None) -> Parsed:
        """Read a canonical code back into its values; raise ParseError if it is none."""
        found = self._match(code, scheme)
        explanation = explain_match(found)
        dates = found.date_parts
        return Parsed(
            code=code,
            scheme=found.scheme.name,
            parent=found.parent.code if found.parent else None,
            fields=dict(found.fields),
            date_parts=dict(dates),
            serial=found.serial,
            scope_key=found.scheme.scope_key_of(
                found.parent.code if found.parent else None, found.fields, dates
            ),
            parts=explanation.parts,
        )

    def explain(self, code: str, scheme: str | None = None) -> Explanation:
        """Say what each part of a code means, down to its root ancestor."""
        return explain_match(self._match(code, scheme))

    def find(self, text: str) -> list[Found]:
        """Return the codes in free text, in order, longest at each place, never inside a word."""
        hits: list[Found] = []
        if not self._schemes:
            return hits
        position = 0
        while True:
            candidate = self._candidates.search(text, position)
            if candidate is None:
                return hits
            start = candidate.start()
            best: Match | None = None
            for scheme, regex in self._scheme_regexes:
                if not regex.match(text, start):
                    continue
                found = match(scheme, text, start, whole=False)
                if isinstance(found, Miss) or _joins(text, found.end):
                    continue
                if best is None or found.end > best.end:
                    best = found
            if best is None:
                position = start + 1
                continue
            hits.append(Found(text[start : best.end], best.scheme.name, start, best.end))
            position = best.end

    @cached_property
    def _scheme_regexes(self) -> list[tuple[Scheme, re.Pattern[str]]]:
        return [
            (scheme, re.compile(f"(?:{scheme_regex(scheme)})(?![{TOKEN_CHAR}])"))
            for scheme in self._schemes.values()
        ]

    @cached_property
    def _candidates(self) -> re.Pattern[str]:
        """One regex for the whole set: where some code may start (confirmed by `match`)."""
        bodies = list(dict.fromkeys(scheme_regex(s) for s in self._schemes.values()))
        either = "|".join(f"(?:{body})" for body in bodies)
        return re.compile(f"(?<![{TOKEN_CHAR}])(?:{either})(?![{TOKEN_CHAR}])")

    def _match(self, code: str, scheme: str | None) -> Match:
        if scheme is not None:
            found = match(self._schemes[scheme], code)
            if isinstance(found, Miss):
                raise miss_error(code, found, closest=False)
            return found
        misses: list[Miss] = []
        # Schemes of one file may share a form (a 5-digit employee and a 5-digit customer);
        # the first in definition order wins, and parse(code, scheme=...) picks another.
        for candidate in self._schemes.values():
            found = match(candidate, code)
            if isinstance(found, Match):
                return found
            misses.append(found)
        if not misses:
            raise ParseError(f"{code!r} is not a code: there are no schemes", 0, code=code)
        closest = max(misses, key=lambda miss: (miss.position, miss.segment_start))
        raise miss_error(code, closest, closest=True)


def check(text: str, base: SchemeSet | None = None) -> list[Problem]:
    """Return every problem of a TOML scheme file (an empty list when it is fine).

    With `base`, the file is checked as loaded on top of those schemes: its parents may be
    theirs, and its schemes replace theirs of the same name.
    """
    return _read(text, base)[1]


def load(text: str, base: SchemeSet | None = None) -> SchemeSet:
    """Read a TOML scheme file (on top of `base`); raise SchemeError listing every problem."""
    schemes, problems = _read(text, base)
    if problems or schemes is None:
        raise SchemeError(problems)
    return schemes


def scheme_names(text: str) -> list[str]:
    """The names of the schemes a scheme file defines, in order (none if it is not TOML)."""
    try:
        raw = _toml(text).get("scheme", {})
    except tomllib.TOMLDecodeError:
        return []
    return [str(name) for name in raw] if isinstance(raw, dict) else []


def _toml(text: str) -> dict:
    """tomllib.loads, with a file nested deeper than its recursion allows as a syntax error."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None


def _read(text: str, base: SchemeSet | None = None) -> tuple[SchemeSet | None, list[Problem]]:
    try:
        data = _toml(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = getattr(error, "lineno", None)
        found = _TOML_LINE.search(message)
        if found:
            line = line or int(found.group(1))
            message = message[: found.start()]
        return None, [Problem(f"TOML syntax: {message}", line)]
    lines = LineMap(text)
    problems = [
        Problem(
            f"unknown key {key!r}: a scheme file has only [scheme.NAME] tables", lines.line(key)
        )
        for key in data
        if key != "scheme"
    ]
    raw = data.get("scheme", {})
    if not isinstance(raw, dict):
        problems.append(Problem("scheme must be a table of schemes", lines.line("scheme")))
        return None, problems
    if base is not None:
        raw = {**base.as_dicts(), **raw}
    schemes, found_problems = build(raw, lines.line)
    problems.extend(found_problems)
    return SchemeSet(schemes), problems


def _joins(text: str, end: int) -> bool:
    return end < len(text) and (text[end].isascii() and text[end].isalnum())
