"""Raw messages out of mbox files and .eml files, one at a time, with what went wrong per message.

An mbox is read line by line, so memory holds one message at most, and a message that is too big
is skipped without being kept. Messages are split as the standard library's `mailbox.mbox` does:
at every line that starts with "From ".
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

MAX_MESSAGE_SIZE = 100 * 1024 * 1024
_CHUNK = 1024 * 1024  # the longest piece of a line read at once
_QUOTED_FROM = re.compile(rb">+From ")
_BLANK = (b"\n", b"\r\n")


@dataclass(frozen=True)
class MboxItem:
    """One message of an mbox: its place, its bytes (b"" if skipped) and what is wrong with it."""

    index: int
    offset: int
    raw: bytes
    error: str | None = None


@dataclass(frozen=True)
class EmlItem:
    """One .eml file: its path, its bytes (b"" if unreadable) and what is wrong with it."""

    path: Path
    raw: bytes
    error: str | None = None


def iter_mbox(
    path: str | os.PathLike[str], *, max_message_size: int = MAX_MESSAGE_SIZE
) -> Iterator[MboxItem]:
    """Every message of an mbox file in order; a bad one is an item with `error`, never a stop."""
    with open(path, "rb") as file:
        yield from _split(file, max_message_size)


def _split(file: BinaryIO, max_size: int) -> Iterator[MboxItem]:
    message: _Message | None = None
    position = 0
    at_line_start = True
    index = 0
    try:
        for chunk in iter(partial(file.readline, _CHUNK), b""):
            if at_line_start and chunk.startswith(b"From "):
                if message is not None:
                    yield message.item(index, max_size)
                    index += 1
                message = _Message(position)
            elif message is None and chunk.strip():
                message = _Message(position, junk=True)
                message.add(chunk, at_line_start, max_size)
            elif message is not None:
                message.add(chunk, at_line_start, max_size)
            position += len(chunk)
            at_line_start = chunk.endswith(b"\n")
    except OSError as error:
        yield MboxItem(index, position, b"", f"read error at byte {position}: {error}")
        return
    if message is not None:
        if not at_line_start:
            message.cut_off = True
        yield message.item(index, max_size)


class _Message:
    """The lines of the message being read, until the next "From " line."""

    def __init__(self, offset: int, junk: bool = False) -> None:
        self.offset = offset
        self.junk = junk
        self.lines: list[bytes] = []
        self.size = 0
        self.cut_off = False

    def add(self, chunk: bytes, at_line_start: bool, max_size: int) -> None:
        """Keep a line (mboxrd ">From " unquoted) unless the message is already too big."""
        self.size += len(chunk)
        if self.size > max_size:
            self.lines.clear()
            return
        if at_line_start and chunk.startswith(b">") and _QUOTED_FROM.match(chunk):
            chunk = chunk[1:]
        self.lines.append(chunk)

    def item(self, index: int, max_size: int) -> MboxItem:
        """The finished message as an item, with the reason it is suspect or skipped."""
        if self.size > max_size:
            error = f"message of {self.size} bytes is over the limit of {max_size} bytes; skipped"
            return MboxItem(index, self.offset, b"", error)
        if self.lines and self.lines[-1] in _BLANK:
            self.lines.pop()  # the blank line before the next "From " belongs to the mbox
        raw = b"".join(self.lines)
        error = None
        if self.junk:
            error = "not an mbox message: no 'From ' line before it"
        elif not raw.strip():
            error = "empty message"
        elif self.cut_off:
            error = "the file ends in the middle of a line: this message is cut off"
        return MboxItem(index, self.offset, raw, error)


def iter_eml_paths(
    paths: Iterable[str | os.PathLike[str]], *, max_message_size: int = MAX_MESSAGE_SIZE
) -> Iterator[EmlItem]:
    """Each .eml file named (directories: their .eml files, sorted); errors are items."""
    for path in map(Path, paths):
        if path.is_dir():
            for inner in sorted(p for p in path.rglob("*") if p.suffix.lower() == ".eml"):
                yield _read_eml(inner, max_message_size)
        else:
            yield _read_eml(path, max_message_size)


def _read_eml(path: Path, max_size: int) -> EmlItem:
    try:
        size = path.stat().st_size
        if size > max_size:
            error = f"file of {size} bytes is over the limit of {max_size} bytes; skipped"
            return EmlItem(path, b"", error)
        raw = path.read_bytes()
    except OSError as error:
        return EmlItem(path, b"", f"cannot be read: {error.strerror or error}")
    return EmlItem(path, raw, None if raw.strip() else "empty file")
