"""WhatsApp export archives: the chat .txt and its media files, read safely from a .zip."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import BinaryIO

from .charsets import decode_bytes
from .whatsapp import ChatExport, ChatFormatError, parse_whatsapp

MAX_TOTAL_SIZE = 512 * 1024 * 1024
MAX_FILES = 10_000
_UTF8_NAMES = 0x800  # general purpose flag bit 11: the names are UTF-8
_CHUNK = 1024 * 1024
# What zipfile raises on damaged archives, besides BadZipFile: bad names (UnicodeDecodeError),
# offsets (ValueError), streams (zlib.error, EOFError), methods and versions, encryption.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


class ChatArchiveError(ValueError):
    """A chat archive that is refused: not a zip, a zip bomb, or a name that leaves the folder."""


def read_whatsapp_zip(
    data: bytes | BinaryIO,
    *,
    max_total_size: int = MAX_TOTAL_SIZE,
    max_files: int = MAX_FILES,
    locale: str | None = None,
) -> tuple[ChatExport, dict[str, bytes]]:
    """The chat and the media (by file name) of an export .zip; unsafe archives are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except _DAMAGED as error:
        raise ChatArchiveError(f"not a zip file: {error}") from error
    with archive:
        members = _members(archive, max_total_size, max_files)
        budget = _Budget(max_total_size)
        chat_name, export = _chat(archive, members, budget, locale)
        media: dict[str, bytes] = {}
        for name, info in members.items():
            if name != chat_name:
                _add_media(archive, name, info, budget, media, export.problems)
    for message in export.messages:
        message.media = [name for name in message.media if name in media]
    return export, media


def _members(
    archive: zipfile.ZipFile, max_total_size: int, max_files: int
) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name; unsafe names and declared sizes over the limit are refused."""
    files = [info for info in archive.infolist() if not info.is_dir()]
    if len(files) > max_files:
        raise ChatArchiveError(f"{len(files)} files; at most {max_files} are accepted")
    declared = sum(info.file_size for info in files)
    if declared > max_total_size:
        raise ChatArchiveError(
            f"unpacks to {declared} bytes; at most {max_total_size} are accepted"
        )
    members = {}
    for info in files:
        name = _name(info)
        if _escapes(name):
            raise ChatArchiveError(f"unsafe file name {name!r} in the archive")
        members[name] = info
    return members


def _name(info: zipfile.ZipInfo) -> str:
    """The member's name; names without the UTF-8 flag were read as cp437 and are re-read."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    raw = info.filename.encode("cp437", "replace")
    return decode_bytes(raw, None).text if not raw.isascii() else info.filename


def _escapes(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in parts
        or "\0" in name
    )


class _Budget:
    """What is left of the total uncompressed size; declared sizes can lie, so bytes are counted."""

    def __init__(self, total: int) -> None:
        self.left = total

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        chunks = []
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    raise ChatArchiveError("unpacks to more than the size limit (a zip bomb?)")
                chunks.append(chunk)
        return b"".join(chunks)


def _chat(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    budget: _Budget,
    locale: str | None,
) -> tuple[str, ChatExport]:
    """The first .txt that reads as a chat, in the order the apps name it."""
    media_names = frozenset(_base(name) for name in members)
    first_error: ChatFormatError | None = None
    for name in _chat_candidates(members):
        text, problem = _chat_text(_read(archive, members[name], budget))
        try:
            export = parse_whatsapp(text, media_names, locale=locale)
        except ChatFormatError as error:
            first_error = first_error or error
            continue
        if problem:
            export.problems.insert(0, f"{name}: {problem}")
        return name, export
    if first_error:
        raise first_error
    raise ChatArchiveError("no chat .txt file in the archive")


def _chat_candidates(members: dict[str, zipfile.ZipInfo]) -> list[str]:
    """iPhone's "_chat.txt", then Android's "WhatsApp Chat with ….txt", then any other .txt."""
    texts = [name for name in members if name.lower().endswith(".txt")]

    def rank(name: str) -> tuple[int, int, str]:
        base = _base(name).lower()
        named = 0 if base == "_chat.txt" else 1 if "whatsapp" in base or "聊天" in base else 2
        return named, name.count("/"), name

    return sorted(texts, key=rank)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    try:
        return budget.read(archive, info)
    except ChatArchiveError:
        raise
    except _DAMAGED as error:
        raise ChatArchiveError(f"{info.filename}: cannot be unpacked: {error}") from error


def _chat_text(data: bytes) -> tuple[str, str | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), None
    decoded = decode_bytes(data.removeprefix(b"\xef\xbb\xbf"), "utf-8")
    return decoded.text, decoded.problem


def _add_media(
    archive: zipfile.ZipFile,
    name: str,
    info: zipfile.ZipInfo,
    budget: _Budget,
    media: dict[str, bytes],
    problems: list[str],
) -> None:
    """Keep one media file under its base name; a damaged one is a problem, not a stop."""
    base = _base(name)
    if base in media:
        problems.append(f"{name}: a second file named {base}; the first is kept")
        return
    try:
        media[base] = _read(archive, info, budget)
    except ChatArchiveError as error:
        if budget.left < 0:
            raise
        problems.append(str(error))


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name
