"""One mail's bytes to a ParsedMail: headers, text, HTML, attachments, forwarded mails, problems.

The standard library's modern email API splits the MIME structure; header values, parameters,
charsets and transfer encodings are read here from the raw values, because real mail (Chinese
clients above all) mislabels them in ways the library would turn into replacement characters.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.errors import (
    InvalidBase64CharactersDefect,
    InvalidBase64LengthDefect,
    MessageDefect,
)
from email.message import Message

from . import headers
from .charsets import decode_bytes
from .filenames import fallback_name, safe_filename
from .headers import Address
from .htmltext import html_to_text

FORWARD_TYPES = frozenset({"message/rfc822", "message/global"})
BODY_TYPES = frozenset({"text/plain", "text/html"})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=\r\n]")
_BASE64_DEFECTS = (InvalidBase64CharactersDefect, InvalidBase64LengthDefect)


@dataclass
class Attachment:
    """A file a mail carries: an attachment, or an inline image its HTML shows by Content-ID."""

    filename: str
    content_type: str
    payload: bytes = field(repr=False)
    size: int = field(init=False)
    content_id: str | None = None
    inline: bool = False

    def __post_init__(self) -> None:
        self.size = len(self.payload)


@dataclass
class ParsedMail:
    """A mail as Tracecode keeps it; `problems` says what could not be read as declared."""

    message_id: str
    synthetic_id: bool = False
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    subject: str = ""
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[ParsedMail] = field(default_factory=list)


def parse_message(raw: bytes) -> ParsedMail:
    """Read a mail's bytes as far as they go; never raises (what failed is in `problems`)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        return _Reader(raw, message).mail(message, "")
    except Exception as error:  # the promise: a bad mail is reported, not raised
        return _unreadable(raw, error)


def synthetic_message_id(raw: bytes, path: str = "") -> str:
    """The stable id of a mail without Message-ID: same bytes (and part), same id."""
    data = raw + b"\0" + path.encode() if path else raw
    return f"<{hashlib.sha256(data).hexdigest()}@tracecode>"


class _Reader:
    """Reads one mail; nested (forwarded) mails share its raw bytes and attachment numbering."""

    def __init__(self, raw: bytes, root: Message) -> None:
        self.raw = raw
        self.root = root
        self.unnamed = 0
        self._hint: str | None = None
        self._hint_known = False

    def mail(self, message: Message, path: str) -> ParsedMail:
        """The headers and body of `message` (the whole mail, or a forwarded one at `path`)."""
        found = _headers(message)
        problems: list[str] = []
        if not found:
            problems.append(f"{_where(path)}: no mail headers")
        ids = headers.message_ids(found["message-id"][0]) if "message-id" in found else []
        mail = ParsedMail(message_id=ids[0] if ids else synthetic_message_id(self.raw, path))
        if not ids:
            mail.synthetic_id = True
            problems.append(f"{_where(path)}: no Message-ID; using {mail.message_id}")
        replied = headers.message_ids(found["in-reply-to"][0]) if "in-reply-to" in found else []
        mail.in_reply_to = replied[0] if replied else None
        mail.references = headers.message_ids(" ".join(found.get("references", [])))
        mail.subject = self.text_header(found, "subject", path, problems)
        senders = self.address_header(found, "from", path, problems)
        mail.sender = senders[0] if senders else None
        mail.to = self.address_header(found, "to", path, problems)
        mail.cc = self.address_header(found, "cc", path, problems)
        mail.reply_to = self.address_header(found, "reply-to", path, problems)
        for name in ("from", "date"):
            if found and name not in found:
                problems.append(f"{_where(path)}: no {name.title()} header")
        if "date" in found:
            mail.date = headers.date(found["date"][0], problems, _where(path, "Date"))
        body = _Body()
        self.walk(message, path, body, problems, found)
        self.finish(mail, body)
        mail.problems = problems
        return mail

    def finish(self, mail: ParsedMail, body: _Body) -> None:
        """Text, HTML and files of the walked body; HTML becomes text only without plain text."""
        mail.html = "\n".join(body.html)
        text = "\n".join(body.plain).strip("\n") if _has_text(body.plain) else ""
        if not text and mail.html:
            text = html_to_text(mail.html)
        mail.text = "\n\n".join([text, *(_forward_block(inner) for inner in body.forwarded)])
        mail.text = mail.text.strip("\n")
        mail.attachments = body.attachments
        mail.forwarded = body.forwarded

    def walk(
        self,
        part: Message,
        path: str,
        body: _Body,
        problems: list[str],
        found: dict[str, list[str]] | None = None,
    ) -> None:
        """Collect text, HTML, attachments and forwarded mails of `part` and its children."""
        found = _headers(part) if found is None else found
        ctype, ctype_params = self.params(
            found, "content-type", part.get_default_type(), path, problems
        )
        if ctype.count("/") != 1:
            ctype = "text/plain"  # RFC 2045, section 5.2
        problems.extend(f"{_where(path, ctype)}: {_describe(defect)}" for defect in part.defects)
        if not part.is_multipart():
            self.leaf(part, found, ctype, ctype_params, path, body, problems)
        elif ctype in FORWARD_TYPES:
            for inner in part.get_payload():
                self.forward(_unwrap(inner, found), path, body, problems)
        elif ctype.startswith("message/"):  # delivery reports: blocks of fields, kept as a file
            data = _field_blocks(part.get_payload())
            self.attach(found, ctype, {}, {}, "", data, body)
        elif ctype == "multipart/alternative":
            self.alternative(part.get_payload(), path, body, problems)
        else:
            for number, child in enumerate(part.get_payload(), 1):
                self.walk(child, _child(path, number), body, problems)

    def alternative(
        self, children: list[Message], path: str, body: _Body, problems: list[str]
    ) -> None:
        """The first version with plain text and the last (richest) with HTML."""
        versions = []
        for number, child in enumerate(children, 1):
            versions.append(_Body())
            self.walk(child, _child(path, number), versions[-1], problems)
        body.plain.extend(next((v.plain for v in versions if _has_text(v.plain)), []))
        body.html.extend(next((v.html for v in reversed(versions) if v.html), []))
        for version in versions:
            body.attachments.extend(version.attachments)
            body.forwarded.extend(version.forwarded)

    def leaf(
        self,
        part: Message,
        found: dict[str, list[str]],
        ctype: str,
        ctype_params: dict[str, str],
        path: str,
        body: _Body,
        problems: list[str],
    ) -> None:
        """A part without children: body text, HTML or a file."""
        if ctype.startswith("multipart/"):
            ctype = "text/plain"  # no boundary: the parser kept it whole, so read it as text
        disposition, disposition_params = self.params(
            found, "content-disposition", "", path, problems
        )
        name = disposition_params.get("filename") or ctype_params.get("name") or ""
        payload = self.payload(part, _where(path, ctype), problems)
        if ctype in BODY_TYPES and disposition != "attachment" and not name:
            text = self.text(payload, ctype_params.get("charset"), ctype, path, problems)
            (body.plain if ctype == "text/plain" else body.html).append(text)
        else:
            self.attach(found, ctype, ctype_params, disposition_params, disposition, payload, body)

    def forward(self, inner: Message, path: str, body: _Body, problems: list[str]) -> None:
        """A mail inside this one: kept whole in `forwarded`, its files added to this mail's."""
        mail = self.mail(inner, path or "1")
        body.forwarded.append(mail)
        body.attachments.extend(mail.attachments)
        problems.extend(mail.problems)

    def attach(
        self,
        found: dict[str, list[str]],
        ctype: str,
        ctype_params: dict[str, str],
        disposition_params: dict[str, str],
        disposition: str,
        payload: bytes,
        body: _Body,
    ) -> None:
        """Add a file part to the body's attachments, named safely."""
        self.unnamed += 1
        name = disposition_params.get("filename") or ctype_params.get("name")
        content_id = (
            headers.readable(headers.unfold(found["content-id"][0])).strip(" <>")
            if "content-id" in found
            else ""
        )
        body.attachments.append(
            Attachment(
                filename=safe_filename(name, fallback_name(ctype, self.unnamed)),
                content_type=ctype,
                payload=payload,
                content_id=content_id or None,
                inline=disposition == "inline" or (not disposition and bool(content_id)),
            )
        )

    def payload(self, part: Message, where: str, problems: list[str]) -> bytes:
        """The part's bytes after its transfer encoding; text wrongly labelled base64 kept as is."""
        known = len(part.defects)
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            return b""
        defects = part.defects[known:]
        if any(isinstance(defect, _BASE64_DEFECTS) for defect in defects):
            part.replace_header("Content-Transfer-Encoding", "8bit")
            undecoded = part.get_payload(decode=True)
            if len(_NOT_BASE64.findall(undecoded)) > len(undecoded) // 50:
                problems.append(f"{where}: declared base64 but is not; read as 8bit")
                return undecoded
            problems.append(f"{where}: damaged base64; decoded as far as it goes")
            return _base64_prefix(undecoded)
        problems.extend(f"{where}: {_describe(defect)}" for defect in defects)
        return data

    def text(
        self, payload: bytes, label: str | None, ctype: str, path: str, problems: list[str]
    ) -> str:
        """Body text in its declared charset, or the one that fits (see charsets.decode_bytes)."""
        if label is None and ctype == "text/html":
            declared = _META_CHARSET.search(payload, 0, 4096)
            label = declared[1].decode("ascii") if declared else None
        decoded = decode_bytes(payload, label)
        if decoded.problem:
            problems.append(f"{_where(path, ctype)}: {decoded.problem}")
        return decoded.text.replace("\r\n", "\n")

    def text_header(
        self, found: dict[str, list[str]], name: str, path: str, problems: list[str]
    ) -> str:
        """An unstructured header's decoded text ("" when missing)."""
        if name not in found:
            return ""
        value = found[name][0]
        return headers.decode_text(value, self.hint(value), problems, _where(path, name.title()))

    def address_header(
        self, found: dict[str, list[str]], name: str, path: str, problems: list[str]
    ) -> list[Address]:
        """The mailboxes of every occurrence of an address header."""
        values = found.get(name, [])
        hint = self.hint(" ".join(values))
        return headers.addresses(values, hint, problems, _where(path, name.title()))

    def params(
        self,
        found: dict[str, list[str]],
        name: str,
        default: str,
        path: str,
        problems: list[str],
    ) -> tuple[str, dict[str, str]]:
        """A parameterised header of a part (Content-Type, Content-Disposition), decoded."""
        value = found[name][0] if name in found else default
        return headers.params(value, self.hint(value), problems, _where(path, name.title()))

    def hint(self, value: str) -> str | None:
        """The charset to try first for raw 8-bit header bytes: the mail's own body charset."""
        if not headers.has_raw_8bit(value):
            return None
        if not self._hint_known:
            self._hint, self._hint_known = _charset_hint(self.root), True
        return self._hint


def _headers(message: Message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        found.setdefault(name.lower(), []).append(str(value))
    return found


def _field_blocks(blocks: list[Message]) -> bytes:
    """The header blocks of a delivery report as text again (regenerating them can fail)."""
    text = "\n".join(
        "".join(f"{name}: {value}\n" for name, value in block.raw_items()) for block in blocks
    )
    return text.encode("utf-8", "surrogateescape")


def _charset_hint(message: Message) -> str | None:
    for part in message.walk():
        for name, value in part.raw_items():
            if name.lower() == "content-type":
                declared = _CHARSET_PARAM.search(str(value))
                if declared:
                    return declared[1]
    return None


def _unwrap(inner: Message, found: dict[str, list[str]]) -> Message:
    """A forwarded mail sent base64 or QP encoded (RFC 2046 forbids it, clients do it) decoded."""
    encoding = headers.unfold(found.get("content-transfer-encoding", [""])[0]).strip().lower()
    if encoding not in ("base64", "quoted-printable") or inner.keys():
        return inner
    data = inner.get_payload(decode=True) or b""
    data = _base64_prefix(data) if encoding == "base64" else binascii.a2b_qp(data)
    return email.message_from_bytes(data, policy=email.policy.default)


def _base64_prefix(data: bytes) -> bytes:
    """What `data` holds as base64, characters outside the alphabet and a cut-off end dropped."""
    clean = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    if len(clean) % 4 == 1:
        clean = clean[:-1]  # a lone character holds no whole byte
    return base64.b64decode(clean + b"=" * (-len(clean) % 4))


def _has_text(texts: list[str]) -> bool:
    return any(text.strip() for text in texts)


def _child(path: str, number: int) -> str:
    return f"{path}.{number}" if path else str(number)


def _where(path: str, what: str = "") -> str:
    place = f"part {path}" if path else "message"
    if not what:
        return place
    return f"{place} ({what})" if "/" in what else f"{place} {what}"


def _describe(defect: MessageDefect) -> str:
    doc = (type(defect).__doc__ or type(defect).__name__).strip().splitlines()[0]
    detail = headers.readable(str(defect))
    return f"{doc.rstrip('.')}: {detail[:80]!r}" if detail else doc.rstrip(".")


def _forward_block(mail: ParsedMail) -> str:
    lines = ["---------- Forwarded message ----------"]
    if mail.sender:
        lines.append(f"From: {mail.sender}")
    if mail.date:
        lines.append(f"Date: {mail.date.isoformat(' ')}")
    if mail.subject:
        lines.append(f"Subject: {mail.subject}")
    if mail.to:
        lines.append("To: " + ", ".join(str(address) for address in mail.to))
    return "\n".join(lines) + "\n\n" + mail.text


def _unreadable(raw: bytes, error: Exception) -> ParsedMail:
    message_id = synthetic_message_id(raw)
    reason = f"{type(error).__name__}: {headers.readable(str(error))}"
    problems = [
        f"message: cannot be parsed as a mail ({reason})",
        f"message: no Message-ID; using {message_id}",
    ]
    decoded = decode_bytes(raw, None)
    return ParsedMail(message_id, synthetic_id=True, text=decoded.text, problems=problems)


# Fields of which a mail has at least one; any other header line alone does not make a mail.
MAIL_FIELDS = frozenset(
    {"from", "to", "cc", "subject", "date", "message-id", "received", "return-path",
     "mime-version", "sender", "reply-to", "delivered-to", "in-reply-to", "references"}
)  # fmt: skip
_FIELD = re.compile(rb"([!-9;-~]+)[ \t]*:")


def looks_like_mail(raw: bytes) -> bool:
    """Whether `raw` starts with a header block naming mail fields (RFC 5322): an empty file,
    a PDF or a picture renamed .eml does not."""
    head = raw[: 64 * 1024].lstrip(b"\xef\xbb\xbf\r\n\t ")
    names = set()
    for line in re.split(rb"\r?\n", head):
        if not line.strip():
            break
        if line[:1] in b" \t":  # a folded header's next line
            continue
        found = _FIELD.match(line)
        if found is None:
            return False
        names.add(found[1].decode("ascii").lower())
    return bool(names & MAIL_FIELDS)
