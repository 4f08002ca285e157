"""WhatsApp exports: read, held to the upload limits, kept as one archive per chat.

A chat is an archive, not a pile of uploads. An export joins the chat it shares messages
with (among the messages its importer may see), else the importer's chat of the same title
(the file's name: "WhatsApp Chat with Zhang Wei"), else it starts a new chat. Its messages
whose key (parsing.message_keys: minute, text and rank, not sender or line) the chat already
holds, visible to the importer, are skipped and counted. A message hidden from the importer
is kept again as theirs: an import never tells what exists beyond what its importer may see
(as mail's private copies do).
"""

import contextlib
import io
import os
import re
import uuid
from collections import Counter
from itertools import batched
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.customers.standing import refresh_contacts
from tracecode.files.inspect import inspect as inspect_upload

from .. import parsing
from ..models import ChatImport, ChatLink, ChatMedia, ChatMessage, ChatUpload, How
from .codes import check_code, customer_of, linkable_codes, linkable_customers
from .storage import _clean, _move, folder_for

ORDER_NAMES = {
    "DMY": gettext_lazy("day-first (dmy)"),
    "MDY": gettext_lazy("month-first (mdy)"),
    "YMD": gettext_lazy("year-first (ymd)"),
}
# Shared messages that make an export part of a chat already imported.
SHARED_TO_JOIN = 3
# "WhatsApp Chat with Zhang Wei", "WhatsApp Chat - Zhang Wei", "WhatsApp-Chat mit …",
# "Chat de WhatsApp con …", "Conversa do WhatsApp com …", "Чат WhatsApp с контактом …".
_TITLE = re.compile(
    r"whats\s?app\W*(?:chat\W*)?(?:with|mit|con|com|avec|met|med|z|s|с(?:\s+контактом)?|-|–|:|：)"
    r"\s+(?P<title>.+)",
    re.IGNORECASE,
)
_TITLE_ZH = re.compile(r"与\s*(?P<title>.+?)\s*的\s*WhatsApp", re.IGNORECASE)


class ChatImportError(ValueError):
    """A chat export that cannot be read; the message names the file and line."""


class AmbiguousDates(ChatImportError):
    """The file's dates fit more than one order and none was chosen; `readings` gives the
    first and last message's time in each order."""

    def __init__(self, name: str, readings: dict) -> None:
        self.name = name
        self.readings = readings
        choices = "; ".join(
            _("%(order)s: %(first)s to %(last)s")
            % {"order": ORDER_NAMES[order], "first": _when(first), "last": _when(last)}
            for order, (first, last) in readings.items()
        )
        super().__init__(
            _(
                "%(name)s: every date fits more than one order. Choose the date order "
                "(%(orders)s): %(choices)s."
            )
            % {
                "name": name,
                "orders": " / ".join(order.lower() for order in readings),
                "choices": choices,
            }
        )


def _when(moment) -> str:
    return formats.date_format(moment, "j F Y")


def date_order_of(value: str | None) -> str | None:
    """ "dmy", "MDY" … as the parser names it; empty: None; anything else: ValidationError."""
    value = (value or "").strip().upper()
    if not value:
        return None
    if value not in parsing.ORDERS:
        raise ValidationError({"date_order": [_("The date order is one of dmy, mdy and ymd.")]})
    return value


def chat_title(name: str) -> str:
    """The chat's name in an export's file name, or "" (a file renamed, "_chat.txt")."""
    stem = re.sub(r"(?:\s*\(\d+\))?\.(?:txt|zip)$", "", name.strip(), flags=re.IGNORECASE)
    found = _TITLE.search(stem) or _TITLE_ZH.search(stem)
    return found["title"].strip()[:255] if found else ""


def import_chat(
    name: str,
    data,
    user,
    *,
    code: str = "",
    date_order: str | None = None,
    locale: str | None = None,
) -> ChatUpload:
    """Add a WhatsApp export (.txt or .zip; bytes or an open file) to its chat's archive and
    file its new messages under the codes they mention that `user` may see, or a code
    picked; returns the ChatUpload (`added`, `skipped`, `chat`).

    `date_order` ("DMY", "MDY", "YMD"): needed when every date fits more than one order
    (else AmbiguousDates, saving nothing). The file is held to the upload limit and a .zip's
    contents to the unpacked limit; zip bombs are refused before anything is unpacked. Media
    are streamed into their folder and checked by content like any upload: a refused one is
    a problem of the import, not a stop. `user` None: the command line, for the company.
    """
    picked = _picked(code, user) if code else None
    code = code.strip().upper()
    name = parsing.safe_filename(name, "chat.txt")
    upload = io.BytesIO(data) if isinstance(data, bytes) else data
    _check_chat_size(name, _size_of(upload))
    with contextlib.ExitStack() as stack:
        archive = None
        title = chat_title(name)
        try:
            if name.lower().endswith(".zip"):
                archive = stack.enter_context(
                    parsing.WhatsAppArchive(
                        upload,
                        max_total_size=settings.MAIL_CHAT_UNPACKED_MAX_BYTES,
                        max_member_size=settings.FILES_MAX_UPLOAD_BYTES,
                        locale=locale,
                        date_order=date_order,
                    )
                )
                export = archive.export
                title = title or chat_title(archive.chat_name)
            else:
                export = parsing.parse_whatsapp(
                    _chat_text(upload.read()), locale=locale, date_order=date_order
                )
        except parsing.ArchiveTooLargeError as error:
            raise ChatImportError(
                _("%(name)s unpacks to %(size)s; a chat export may unpack to at most %(limit)s.")
                % {
                    "name": name,
                    "size": filesizeformat(error.size),
                    "limit": filesizeformat(error.limit),
                }
            ) from error
        except parsing.ZipBombError as error:
            raise ChatImportError(
                _("%(name)s: “%(member)s” would unpack to %(size)s from %(packed)s; a zip bomb is "
                  "refused.")
                % {
                    "name": name,
                    "member": error.name,
                    "size": filesizeformat(error.size),
                    "packed": filesizeformat(error.packed),
                }
            ) from error  # fmt: skip
        except (parsing.ChatFormatError, parsing.ChatArchiveError) as error:
            raise ChatImportError(f"{name}: {error}") from error
        if not export.messages:
            raise ChatImportError(_("%(name)s: no chat messages found") % {"name": name})
        if export.ambiguous:
            raise AmbiguousDates(name, export.readings)
        if archive is not None:
            _leave_out_refused_media(archive)
        return _store_chat(name, title, code, picked, export, archive, user)


def _picked(code: str, user):
    """The customer of a code picked at import: one the user may file under (ValidationError
    or PermissionDenied else); from the command line (no user), any registered code."""
    if user is not None:
        return check_code(code, user)
    customer = customer_of(code.strip().upper())
    if customer is None:
        raise ValidationError(
            {"code": [_("%(code)s is not a registered code.") % {"code": code.strip().upper()}]}
        )
    return customer


def _visible(user):
    return ChatMessage.objects.all() if user is None else ChatMessage.objects.visible_to(user)


def _chat_for(keys: list[str], title: str, user) -> ChatImport | None:
    """The chat an export belongs to (see the module docstring), or None: a new one."""
    shared: Counter[int] = Counter()
    for chunk in batched(keys, 500):
        shared.update(_visible(user).filter(key__in=chunk).values_list("chat_id", flat=True))
    if shared:
        chat_id, count = shared.most_common(1)[0]
        if count >= min(SHARED_TO_JOIN, len(keys)):
            return ChatImport.objects.get(pk=chat_id)
    if title:
        return ChatImport.objects.filter(title=title, uploaded_by=user).order_by("pk").first()
    return None


def _store_chat(name, title, code, picked, export, archive, user) -> ChatUpload:
    """The new messages of an export, their links, and their media streamed from the archive
    into their folders; skipped messages are counted."""
    allowed = linkable_customers(user)
    cache: dict = {}
    saved: list[str] = []
    keys = parsing.message_keys(export.messages)
    try:
        with transaction.atomic():
            chat = _chat_for(keys, title, user)
            if chat is None:
                chat = ChatImport.objects.create(
                    name=name, title=title, format=export.format, code=code, uploaded_by=user,
                    problems=_clean("\n".join(export.problems)),
                )  # fmt: skip
                there = set()
            else:  # one import at a time into a chat (SQLite: the immediate transaction)
                ChatImport.objects.select_for_update().filter(pk=chat.pk).first()
                there = set(_visible(user).filter(chat=chat).values_list("key", flat=True))
            upload = ChatUpload.objects.create(
                chat=chat, name=name, format=export.format, date_order=export.date_order,
                code=code, uploaded_by=user, problems=_clean("\n".join(export.problems)),
            )  # fmt: skip
            new = [(item, key) for item, key in zip(export.messages, keys, strict=True)]
            new = [(item, key) for item, key in new if key not in there]
            rows = []
            for item, key in new:
                stamp = item.timestamp
                if timezone.is_naive(stamp):
                    stamp = timezone.make_aware(stamp)
                rows.append(
                    ChatMessage(
                        chat=chat,
                        upload=upload,
                        timestamp=stamp,
                        key=key,
                        sender=_clean(item.sender, 200),
                        text=_clean(item.text),
                        line=item.line,
                    )  # fmt: skip
                )
            ChatMessage.objects.bulk_create(rows, batch_size=500)
            links, media = [], []
            for (item, _key), message in zip(new, rows, strict=True):
                found = linkable_codes(item.text, cache, allowed)
                filed = [(c, customer, How.BODY) for c, customer in found]
                if picked is not None and code not in {c for c, _x, _y in filed}:
                    filed.insert(0, (code, picked, How.PICKED))
                links += [
                    ChatLink(message=message, code=c, customer=customer, how=how)
                    for c, customer, how in filed
                ]
                if item.media and archive is not None:
                    first = filed[0] if filed else None
                    folder = folder_for(
                        first[0] if first else None, first[1].code if first else None, "WhatsApp"
                    )
                    for media_name in item.media:
                        with archive.open(media_name) as stream:
                            stored = default_storage.save(
                                f"{folder}/{parsing.safe_filename(media_name, 'file')}",
                                File(_ForwardOnly(stream), name=media_name),
                            )
                        saved.append(stored)
                        media.append(ChatMedia(message=message, filename=media_name, file=stored))
            ChatLink.objects.bulk_create(links, batch_size=500)
            refresh_contacts({x.customer_id for x in links})
            ChatMedia.objects.bulk_create(media, batch_size=500)
            upload.added = len(rows)
            upload.skipped = len(keys) - len(rows)
            upload.save(update_fields=["added", "skipped"])
            _index([m.pk for m in rows])
    except BaseException:
        for stored in saved:
            with contextlib.suppress(OSError):
                default_storage.delete(stored)
        raise
    return upload


class _ForwardOnly:
    """A member of the export's .zip, read forward in small pieces. Seeking a member unpacks
    it again in 16 MB steps, and an upload to S3 seeks to learn the size: a 10 MB photo held
    44 MB. Read forward, an upload to S3 holds its parts only."""

    PIECE = 64 * 1024

    def __init__(self, stream):
        self.stream = stream

    @property
    def closed(self) -> bool:
        return self.stream.closed

    def seekable(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.stream.read()
        out = bytearray()
        while len(out) < size and (piece := self.stream.read(min(self.PIECE, size - len(out)))):
            out += piece
        return bytes(out)


def _index(ids: list[int]) -> None:
    """Index chat messages written in bulk (bulk writes send no signals)."""
    if not ids or not apps.is_installed("tracecode.search"):
        return
    from tracecode.search import index

    provider = next((p for p in index.providers() if p.model is ChatMessage), None)
    if provider is not None:
        for chunk in batched(ids, 1000):
            index.write_many(provider, list(provider.all().filter(pk__in=chunk)))


# --- filing by hand ----------------------------------------------------------------------


def file_chat_messages(messages, code: str, user) -> list[ChatMessage]:
    """File chat messages (each one `user` may see) under a code the user typed; their media
    leave Unfiled for the code's folder. Returns the messages filed."""
    customer = check_code(code, user)
    code = code.strip().upper()
    messages = list(messages)
    with transaction.atomic():
        for message in messages:
            if not message.links.filter(code=code).exists():
                ChatLink.objects.create(
                    message=message, code=code, customer=customer, how=How.MANUAL, linked_by=user
                )
            folder = folder_for(code, customer.code, "WhatsApp")
            for item in message.media.all():
                item.file.name = _move(item.file.name, folder)
                item.save(update_fields=["file"])
        _index([m.pk for m in messages])
    return messages


def unfiled_of(chat: ChatImport, user):
    """The messages of a chat that wait in `user`'s Unfiled."""
    return ChatMessage.objects.visible_to(user).unfiled().filter(chat=chat)


def unfiled_chats(user, *, chats: int = 20, each: int = 20) -> list[dict]:
    """The chats with messages waiting in `user`'s Unfiled, newest first: each chat, how many
    wait, and the first of them."""
    waiting = ChatMessage.objects.visible_to(user).unfiled()
    counts = dict(
        waiting.order_by().values("chat").annotate(n=Count("pk")).values_list("chat", "n")
    )
    found = ChatImport.objects.filter(pk__in=list(counts)).order_by("-uploaded_at", "-pk")
    return [
        {"chat": chat, "count": counts[chat.pk], "messages": list(waiting.filter(chat=chat)[:each])}
        for chat in found[:chats]
    ]


# --- an export held while the page asks for its date order ----------------------------------


def _held_folder() -> Path:
    return Path(settings.DATA_DIR) / "chat-uploads"


def _held_path(held: dict) -> Path | None:
    token = (held or {}).get("token", "")
    return _held_folder() / token if re.fullmatch(r"[0-9a-f]{32}", token) else None


def hold_chat(upload, user) -> dict:
    """Keep an uploaded export on disk (owner-only) until its date order is chosen; the
    returned dict goes into the user's session."""
    _held_folder().mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    descriptor = os.open(_held_folder() / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return {"token": token, "name": parsing.safe_filename(upload.name, "chat.txt")}


def open_held_chat(held: dict):
    """The held export, open for reading; ChatImportError when it is gone."""
    path = _held_path(held)
    try:
        return open(path, "rb")  # the caller closes it
    except (OSError, TypeError):
        raise ChatImportError(_("Choose the exported chat file again.")) from None


def forget_held_chat(held: dict | None) -> None:
    path = _held_path(held) if held else None
    if path is not None:
        path.unlink(missing_ok=True)


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, os.SEEK_END)
        upload.seek(0)
    return size


def _check_chat_size(name: str, size: int) -> None:
    limit = settings.FILES_MAX_UPLOAD_BYTES
    if size > limit:
        raise ChatImportError(
            _("%(name)s is %(size)s; a chat export may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def _leave_out_refused_media(archive: "parsing.WhatsAppArchive") -> None:
    """Media judged by their content like any upload; a refused one is left out, and why."""
    for media in list(archive.media.values()):
        try:
            inspect_upload(media.name, media.head, media.size)
        except ValidationError as error:
            archive.export.problems.extend(error.messages)
            archive.leave_out(media.name)


def _chat_text(data: bytes) -> str:
    if _utf8(data):
        return data.decode("utf-8-sig")
    return parsing.decode_bytes(data, None).text


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
