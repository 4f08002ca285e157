"""Line numbers of the keys of a TOML text, which tomllib does not report."""

from __future__ import annotations

import json
import re

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_PATH = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_PATH})\s*\]\]?")
_KEY_VALUE = re.compile(rf"\s*({_PATH})\s*=\s*(.*)")
_ONE_KEY = re.compile(_KEY)

Path = tuple[str, ...]


class LineMap:
    """Where each key path (`("scheme", "order", "pattern")`) is first written."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._scan(text.splitlines())

    def line(self, *path: str) -> int | None:
        """Return the line of `path`, or of its longest written prefix."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return None

    def _note(self, path: Path, line: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], line)

    def _scan(self, lines: list[str]) -> None:
        table: Path = ()
        index = 0
        while index < len(lines):
            text = lines[index]
            number = index + 1
            index += 1
            header = _HEADER.match(text)
            if header:
                table = _split(header.group(1))
                self._note(table, number)
                continue
            key_value = _KEY_VALUE.match(text)
            if not key_value:
                continue
            self._note(table + _split(key_value.group(1)), number)
            index = self._skip_value(lines, index, key_value.group(2))

    @staticmethod
    def _skip_value(lines: list[str], index: int, value: str) -> int:
        """Return the index of the first line after a multi-line string or array value."""
        for quote in ('"""', "'''"):
            if value.startswith(quote) and quote not in value[3:]:
                while index < len(lines) and quote not in lines[index]:
                    index += 1
                return index + 1
        depth = _bracket_depth(value)
        while depth > 0 and index < len(lines):
            depth += _bracket_depth(lines[index])
            index += 1
        return index


def _split(path: str) -> Path:
    keys: list[str] = []
    for key in _ONE_KEY.findall(path):
        if key.startswith('"'):
            keys.append(json.loads(key))
        elif key.startswith("'"):
            keys.append(key[1:-1])
        else:
            keys.append(key)
    return tuple(keys)


def _bracket_depth(text: str) -> int:
    depth = 0
    quote = ""
    escaped = False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
    return depth
