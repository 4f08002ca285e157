"""Attachment names that are safe to show and to store: one path part, printable, never empty."""

from __future__ import annotations

import mimetypes
import re
import unicodedata

MAX_BYTES = 200  # below the 255-byte limit of common file systems, room for a " (2)" suffix

# Windows forbids these; "/" and "\\" are cut as path separators before.
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def safe_filename(name: str | None, fallback: str) -> str:
    """The last path part of `name` without control or format characters; `fallback` if empty."""
    name = re.split(r"[/\\]", name or "")[-1]
    # Cc: control characters; Cf: format characters such as U+202E, which can disguise
    # "gpj.exe" as "exe.jpg".
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf"))
    name = _SPACES.sub(" ", _FORBIDDEN.sub("_", name)).strip(" .")
    return _shorten(name) if name else fallback


def fallback_name(content_type: str, number: int) -> str:
    """A name for an unnamed part: "image-2.png", "attachment-3.pdf"."""
    kind = "image" if content_type.startswith("image/") else "attachment"
    extension = mimetypes.guess_extension(content_type)
    if not extension:
        extension = ".txt" if content_type.startswith(("text/", "message/")) else ".bin"
    return f"{kind}-{number}{extension}"


def _shorten(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_BYTES - len(suffix.encode("utf-8"))
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .") + suffix
