"""Header values as mail really sends them: folded, RFC 2047 encoded, raw 8-bit, parameterised."""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime
from typing import NamedTuple
from urllib.parse import unquote_to_bytes

from .charsets import decode_bytes

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_LINE_BREAK = re.compile(r"[\r\n]+")
# The email package keeps undecodable header bytes as lone surrogates (surrogateescape).
_RAW_8BIT = re.compile("[\udc80-\udcff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_PARAM = re.compile(r'(?:[^;"]|"(?:[^"\\]|\\.)*"?)+')
_EXTENDED_KEY = re.compile(r"([^*]+)\*(\d+)?(\*)?")
_ANGLE_ID = re.compile(r"<([^<>]+)>")
_BARE_ID = re.compile(r"[^\s<>,;\"()]+@[^\s<>,;\"()]+")


class Address(NamedTuple):
    """A mailbox: display name (decoded, may be empty) and address."""

    name: str
    address: str

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


def unfold(value: str) -> str:
    """A header value on one line (RFC 5322 unfolding; stray line breaks become spaces)."""
    return _LINE_BREAK.sub(" ", _FOLD.sub("", value))


def has_raw_8bit(value: str) -> bool:
    """Whether a header value held bytes that were not ASCII."""
    return _RAW_8BIT.search(value) is not None


def readable(value: str) -> str:
    """`value` with raw 8-bit bytes read as UTF-8 (or replaced), for ids and messages."""
    if not has_raw_8bit(value):
        return value
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def decode_text(value: str, hint: str | None, problems: list[str], where: str) -> str:
    """A header's text: unfolded, raw 8-bit bytes and RFC 2047 encoded words decoded."""
    return decode_words(_raw_8bit_to_text(unfold(value), hint, problems, where), problems, where)


def _raw_8bit_to_text(value: str, hint: str | None, problems: list[str], where: str) -> str:
    if not has_raw_8bit(value):
        return value
    decoded = decode_bytes(value.encode("utf-8", "surrogateescape"), hint)
    if decoded.problem:
        problems.append(f"{where}: raw 8-bit header {decoded.problem}")
    return decoded.text


def decode_words(value: str, problems: list[str], where: str) -> str:
    """Decode RFC 2047 encoded words; adjacent words of one charset are joined before decoding."""
    if "=?" not in value:
        return value.strip()
    out: list[str] = []
    run: list[bytes] = []
    run_charset = ""

    def flush() -> None:
        if run:
            decoded = decode_bytes(b"".join(run), run_charset)
            if decoded.problem:
                problems.append(f"{where}: {decoded.problem}")
            out.append(decoded.text)
            run.clear()

    end = 0
    for word in _ENCODED_WORD.finditer(value):
        gap = value[end : word.start()]
        # Whitespace between two encoded words is not text (RFC 2047, section 6.2).
        if gap and not (run and gap.isspace()):
            flush()
            out.append(gap)
        charset = word[1].split("*")[0].lower()  # RFC 2231 adds "*language"
        data = _word_bytes(word[2], word[3])
        if data is None:
            flush()
            problems.append(f"{where}: undecodable encoded word {word[0]!r}")
            out.append(word[0])
        else:
            if run and charset != run_charset:
                flush()
            run.append(data)
            run_charset = charset
        end = word.end()
    flush()
    out.append(value[end:])
    return "".join(out).strip()


def _word_bytes(encoding: str, text: str) -> bytes | None:
    try:
        data = text.encode("ascii")
        if encoding in "bB":
            return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
        return binascii.a2b_qp(data, header=True)
    except (UnicodeEncodeError, binascii.Error):
        return None


def addresses(
    values: list[str], hint: str | None, problems: list[str], where: str
) -> list[Address]:
    """The mailboxes of address headers, display names decoded."""
    texts = [_raw_8bit_to_text(unfold(value), hint, problems, where) for value in values]
    pairs = getaddresses(texts)
    if pairs == [("", "")] and any(text.strip() for text in texts):
        pairs = getaddresses(texts, strict=False)
    found = []
    for name, address in pairs:
        if name or address:
            found.append(Address(decode_words(name, problems, where), address.strip()))
    return found


def date(value: str, problems: list[str], where: str = "Date") -> datetime | None:
    """An aware datetime from a Date header, or None if it cannot be read."""
    value = readable(unfold(value)).strip()
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        problems.append(f"{where}: cannot read {value!r}")
        return None
    # "-0000" means UTC with the sender's zone unknown (RFC 5322, section 3.3).
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def message_ids(value: str) -> list[str]:
    """Message-IDs in a header as "<id>", in order, without duplicates or whitespace."""
    value = readable(unfold(value))
    found = [re.sub(r"\s+", "", inner) for inner in _ANGLE_ID.findall(value)]
    if not found:
        found = _BARE_ID.findall(value)
    return [f"<{inner}>" for inner in dict.fromkeys(found) if inner]


def params(
    value: str, hint: str | None, problems: list[str], where: str
) -> tuple[str, dict[str, str]]:
    """A parameterised header's value and parameters, decoded as real clients write them."""
    # Quoted values, RFC 2231 (filename*=UTF-8''..., continuations filename*0*=...), and the
    # RFC 2047 words and raw 8-bit bytes that Outlook, Foxmail and webmail put in names.
    items = _PARAM.findall(unfold(value))
    if not items:
        return "", {}
    plain: dict[str, str] = {}
    extended: dict[str, list[tuple[int, bool, str]]] = {}
    for item in items[1:]:
        key, sep, raw = item.partition("=")
        key, raw = key.strip().lower(), raw.strip()
        if not sep or not key:
            continue
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        elif raw.startswith('"'):
            raw = raw[1:]
        parts = _EXTENDED_KEY.fullmatch(key)
        if parts:
            encoded = parts[2] is None or parts[3] is not None
            extended.setdefault(parts[1], []).append((int(parts[2] or 0), encoded, raw))
        else:
            plain[key] = decode_text(raw, hint, problems, where)
    for key, sections in extended.items():
        plain[key] = _rfc2231(sorted(sections), hint, problems, where)
    return readable(items[0]).strip().lower(), plain


def _rfc2231(
    sections: list[tuple[int, bool, str]], hint: str | None, problems: list[str], where: str
) -> str:
    charset = None
    chunks = []
    for number, encoded, raw in sections:
        if encoded and number == 0 and raw.count("'") >= 2:
            charset, _language, raw = raw.split("'", 2)
        text = _raw_8bit_to_text(raw, hint, problems, where)
        chunks.append(unquote_to_bytes(text) if encoded else text.encode("utf-8"))
    decoded = decode_bytes(b"".join(chunks), charset or None)
    if decoded.problem:
        problems.append(f"{where}: {decoded.problem}")
    return decoded.text
