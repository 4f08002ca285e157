"""WhatsApp export archives: the chat .txt and its media files, read safely from a .zip."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from .charsets import decode_bytes
from .whatsapp import ChatExport, ChatFormatError, parse_whatsapp

MAX_TOTAL_SIZE = 512 * 1024 * 1024
MAX_FILES = 10_000
# A member larger than RATIO_FLOOR that unpacks to more than MAX_RATIO times its packed size
# is a zip bomb: photos, videos and voice notes barely compress, chat text about 5 times.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
HEAD_BYTES = 8192  # the first bytes of each media file, for checks by content
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


class ArchiveTooLargeError(ChatArchiveError):
    """The archive unpacks to more than the total size allowed."""

    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"unpacks to {size} bytes; at most {limit} are accepted")


class ZipBombError(ChatArchiveError):
    """One member unpacks to far more than it takes packed: refused before it is unpacked."""

    def __init__(self, name: str, size: int, packed: int) -> None:
        self.name, self.size, self.packed = name, size, packed
        super().__init__(
            f"{name} unpacks to {size} bytes from {packed}; more than {MAX_RATIO} times "
            "its packed size (a zip bomb?)"
        )


@dataclass
class Media:
    """A media file of the archive, checked: its first bytes and its unpacked size."""

    name: str  # the base name the chat refers to
    info: zipfile.ZipInfo
    head: bytes
    size: int


class WhatsAppArchive:
    """An export .zip read in two passes without holding it in memory: opening it checks
    every member (sizes, names, compression, CRC) and parses the chat; `open(name)` then
    streams one media file. Only the chat text is ever read whole.

    Unpacking never exceeds the declared sizes (zipfile stops there), so the declared total,
    each member's declared size and its ratio to its packed size are checked before a byte
    is unpacked; what is unpacked is counted too.
    """

    def __init__(
        self,
        file: bytes | BinaryIO,
        *,
        max_total_size: int = MAX_TOTAL_SIZE,
        max_files: int = MAX_FILES,
        max_member_size: int | None = None,
        locale: str | None = None,
        date_order: str | None = None,
    ) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(file) if isinstance(file, bytes) else file)
        except _DAMAGED as error:
            raise ChatArchiveError(f"not a zip file: {error}") from error
        try:
            members = _members(self._zip, max_total_size, max_files)
            budget = _Budget(max_total_size)
            chat_name, self.export = _chat(
                self._zip, members, budget, max_member_size, locale, date_order
            )
            self.chat_name = _base(chat_name)
            self.media: dict[str, Media] = {}
            for name, info in members.items():
                if name != chat_name:
                    self._check(name, info, budget, max_member_size)
        except BaseException:
            self._zip.close()
            raise
        for message in self.export.messages:
            message.media = [name for name in message.media if name in self.media]

    def _check(self, name: str, info: zipfile.ZipInfo, budget: _Budget, limit: int | None):
        """Unpack one media file once, counting, to keep its head; a bad one is a problem."""
        base = _base(name)
        problems = self.export.problems
        if base in self.media:
            problems.append(f"{name}: a second file named {base}; the first is kept")
            return
        if limit is not None and info.file_size > limit:
            problems.append(f"{name}: {info.file_size} bytes; at most {limit} are accepted")
            return
        try:
            head, size = b"", 0
            for chunk in _chunks(self._zip, info, budget):
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                size += len(chunk)
        except ChatArchiveError as error:
            if budget.left < 0:
                raise
            problems.append(str(error))
            return
        self.media[base] = Media(base, info, head, size)

    def leave_out(self, name: str) -> None:
        """Forget a media file (refused by the caller): the chat no longer refers to it."""
        self.media.pop(name, None)
        for message in self.export.messages:
            message.media = [each for each in message.media if each != name]

    def open(self, name: str) -> BinaryIO:
        """A media file (by the name the chat uses) as a stream, unpacked as it is read."""
        return self._zip.open(self.media[name].info)

    def read(self, name: str) -> bytes:
        with self.open(name) as member:
            return member.read()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> WhatsAppArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_whatsapp_zip(
    data: bytes | BinaryIO,
    *,
    max_total_size: int = MAX_TOTAL_SIZE,
    max_files: int = MAX_FILES,
    locale: str | None = None,
) -> tuple[ChatExport, dict[str, bytes]]:
    """The chat and the media (by file name) of an export .zip, all in memory: small ones only
    (WhatsAppArchive streams)."""
    with WhatsAppArchive(
        data, max_total_size=max_total_size, max_files=max_files, locale=locale
    ) as archive:
        return archive.export, {name: archive.read(name) for name in archive.media}


def _members(
    archive: zipfile.ZipFile, max_total_size: int, max_files: int
) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by name; unsafe names, unknown compression, declared sizes over the
    limit and members packed far too tightly (zip bombs) are refused."""
    files = [info for info in archive.infolist() if not info.is_dir()]
    if len(files) > max_files:
        raise ChatArchiveError(f"{len(files)} files; at most {max_files} are accepted")
    declared = sum(info.file_size for info in files)
    if declared > max_total_size:
        raise ArchiveTooLargeError(declared, max_total_size)
    members = {}
    for info in files:
        name = _name(info)
        if _escapes(name):
            raise ChatArchiveError(f"unsafe file name {name!r} in the archive")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA unpack a whole block at once: no way to stop early.
            raise ChatArchiveError(f"{name}: packed with an unsupported method")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            raise ZipBombError(name, info.file_size, info.compress_size)
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
    """What is left of the total uncompressed size; unpacked bytes are counted as they come."""

    def __init__(self, total: int) -> None:
        self.left = total

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise ChatArchiveError("unpacks to more than the size limit (a zip bomb?)")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget):
    """A member's bytes, a chunk at a time, counted; a damaged member is a ChatArchiveError."""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                budget.take(len(chunk))
                yield chunk
    except ChatArchiveError:
        raise
    except _DAMAGED as error:
        raise ChatArchiveError(f"{info.filename}: cannot be unpacked: {error}") from error


def _chat(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    budget: _Budget,
    max_size: int | None,
    locale: str | None,
    date_order: str | None = None,
) -> tuple[str, ChatExport]:
    """The first .txt that reads as a chat, in the order the apps name it."""
    media_names = frozenset(_base(name) for name in members)
    first_error: ChatFormatError | None = None
    for name in _chat_candidates(members):
        if max_size is not None and members[name].file_size > max_size:
            raise ChatArchiveError(
                f"{name}: {members[name].file_size} bytes; at most {max_size} are accepted"
            )
        text, problem = _chat_text(b"".join(_chunks(archive, members[name], budget)))
        try:
            export = parse_whatsapp(text, media_names, locale=locale, date_order=date_order)
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


def _chat_text(data: bytes) -> tuple[str, str | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), None
    decoded = decode_bytes(data.removeprefix(b"\xef\xbb\xbf"), "utf-8")
    return decoded.text, decoded.problem


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name
