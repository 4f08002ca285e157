"""WhatsApp exports: read, held to the upload limits, stored and filed message by message."""

import contextlib
import io
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.files.inspect import inspect as inspect_upload

from .. import parsing
from ..models import (
    ChatImport,
    ChatLink,
    ChatMedia,
    ChatMessage,
    How,
)
from .codes import check_code, linkable_codes, linkable_customers
from .storage import _clean, folder_for


class ChatImportError(ValueError):
    """A chat export that cannot be read; the message names the file and line."""


def import_chat(name: str, data, user, *, code: str = "", locale: str | None = None):
    """Store a WhatsApp export (.txt or .zip; bytes or an open file) and file its messages under
    the codes they mention that `user` may see, or a code picked; returns the ChatImport.

    The file is held to the upload limit and a .zip's contents to the unpacked limit; zip
    bombs are refused before anything is unpacked. Media are streamed into their folder and
    checked by content like any upload: a refused one is a problem of the import, not a stop.
    """
    picked = check_code(code, user) if code else None
    code = code.strip().upper()
    name = parsing.safe_filename(name, "chat.txt")
    upload = io.BytesIO(data) if isinstance(data, bytes) else data
    _check_chat_size(name, _size_of(upload))
    with contextlib.ExitStack() as stack:
        archive = None
        try:
            if name.lower().endswith(".zip"):
                archive = stack.enter_context(
                    parsing.WhatsAppArchive(
                        upload,
                        max_total_size=settings.MAIL_CHAT_UNPACKED_MAX_BYTES,
                        max_member_size=settings.FILES_MAX_UPLOAD_BYTES,
                        locale=locale,
                    )
                )
                export = archive.export
                _leave_out_refused_media(archive)
            else:
                export = parsing.parse_whatsapp(_chat_text(upload.read()), locale=locale)
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
        return _store_chat(name, code, picked, export, archive, user)


def _store_chat(name, code, picked, export, archive, user):
    """The rows of an import, and its media streamed from the archive into their folders."""
    allowed = linkable_customers(user)
    cache: dict = {}
    saved: list[str] = []
    try:
        with transaction.atomic():
            chat = ChatImport.objects.create(
                name=name, format=export.format, code=code, uploaded_by=user,
                problems=_clean("\n".join(export.problems)),
            )  # fmt: skip
            for item in export.messages:
                stamp = item.timestamp
                if timezone.is_naive(stamp):
                    stamp = timezone.make_aware(stamp)
                message = ChatMessage.objects.create(
                    chat=chat, timestamp=stamp, sender=_clean(item.sender, 200),
                    text=_clean(item.text), line=item.line,
                )  # fmt: skip
                found = linkable_codes(item.text, cache, allowed)
                links = [(c, customer, How.BODY) for c, customer in found]
                if picked is not None and code not in {c for c, _x, _y in links}:
                    links.insert(0, (code, picked, How.PICKED))
                for link_code, customer, how in links:
                    ChatLink.objects.create(
                        message=message, code=link_code, customer=customer, how=how
                    )
                if item.media and archive is not None:
                    first = links[0] if links else None
                    folder = folder_for(
                        first[0] if first else None, first[1].code if first else None, "WhatsApp"
                    )
                    for media_name in item.media:
                        with archive.open(media_name) as stream:
                            stored = default_storage.save(
                                f"{folder}/{parsing.safe_filename(media_name, 'file')}",
                                File(stream, name=media_name),
                            )
                        saved.append(stored)
                        ChatMedia.objects.create(message=message, filename=media_name, file=stored)
    except BaseException:
        for stored in saved:
            with contextlib.suppress(OSError):
                default_storage.delete(stored)
        raise
    return chat


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
