"""Mail API (router mounted at /api/mail/): list, detail, import, file, send, WhatsApp import.

The same services and forms as the pages, the same permissions: a mail one may not see is 404.
"""

import base64
import binascii
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import Input, PageIn, answers
from tracecode.core.errors import ApiError

from . import parsing, services
from .forms import ComposeForm
from .models import ChatImport, ChatLink, ChatMessage, ImportBatch, MailMessage

router = Router(tags=["mail"])


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class LinkOut(Schema):
    code: str
    how: str


class MailOut(Schema):
    id: int
    message_id: str
    subject: str
    sender: str
    sender_name: str
    to: str
    cc: str
    date: datetime.datetime
    direction: str
    source: str
    codes: list[LinkOut]
    url: str


class MailDetailOut(MailOut):
    text: str
    in_reply_to: str
    attachments: list[AttachmentOut]
    original_url: str


class MailPage(Schema):
    items: list[MailOut]
    count: int


class FileIn(Input):
    code: str
    whole_thread: bool = False


class FiledOut(Schema):
    filed: list[int]


class AttachmentIn(Input):
    name: str
    content_type: str = ""
    content_base64: str


class SendIn(Input):
    code: str
    to: str
    cc: str = ""
    subject: str
    body: str
    attachments: list[AttachmentIn] = []


class BatchOut(Schema):
    id: int
    status: str
    files: int
    files_done: int
    imported: int
    skipped: int
    failed: int
    failures: list[str]
    url: str


class ChatOut(Schema):
    id: int
    upload: int
    name: str
    format: str
    date_order: str
    messages: int
    added: int
    skipped: int
    filed: int
    problems: list[str]


class ChatMediaOut(Schema):
    filename: str
    url: str


class ChatMessageOut(Schema):
    id: int
    chat: int
    timestamp: datetime.datetime
    sender: str
    text: str
    codes: list[LinkOut]
    media: list[ChatMediaOut]
    url: str


class ChatMessagePage(Schema):
    items: list[ChatMessageOut]
    count: int


class ChatFileIn(Schema):
    code: str


def mail_out(mail: MailMessage) -> dict:
    """A mail as the API shows it; `mail.links` prefetched with services.visible_links."""
    return {
        **{f: getattr(mail, f) for f in ("id", "message_id", "subject", "sender", "sender_name")},
        **{f: getattr(mail, f) for f in ("to", "cc", "date", "direction", "source")},
        "codes": [{"code": x.code, "how": x.how} for x in mail.links.all()],
        "url": reverse("mail:detail", args=[mail.pk]),
    }


def batch_out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk,
        "status": batch.status,
        "files": len(batch.files),
        "files_done": batch.files_done,
        "imported": batch.imported,
        "skipped": batch.skipped,
        "failed": batch.failed,
        "failures": batch.failures,
        "url": reverse("mail:batch", args=[batch.pk]),
    }


@router.get(
    "/",
    response=answers(MailPage, 422),
    summary="Mails you may see, by code (and the codes below it)",
)
def list_mails(request, page: Query[PageIn], code: str = "", unfiled: bool = False, q: str = ""):
    mails = MailMessage.objects.visible_to(request.user)
    if code:
        mails = mails.filter(links__code__in=services.codes_below(code.strip().upper())).distinct()
    if unfiled:
        mails = mails.unfiled()
    if q:
        mails = mails.filter(subject__icontains=q)
    mails = mails.order_by("-date", "-pk").prefetch_related(services.visible_links(request.user))
    rows = mails[page.offset : page.offset + page.limit]
    return {"items": [mail_out(m) for m in rows], "count": mails.count()}


@router.get(
    "/{int:mail_id}",
    response=answers(MailDetailOut, 404, 422),
    summary="One mail: headers, text, files",
)
def get_mail(request, mail_id: int):
    mails = MailMessage.objects.prefetch_related(services.visible_links(request.user))
    mail = visible_or_404(mails, request.user, pk=mail_id)
    return {
        **mail_out(mail),
        "text": mail.text,
        "in_reply_to": mail.in_reply_to,
        "original_url": reverse("mail:original", args=[mail.pk]),
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("mail:attachment", args=[a.pk]),
            }
            for a in mail.attachments.all()
        ],
    }


@router.post(
    "/{int:mail_id}/file",
    response=answers(FiledOut, 400, 403, 404, 422),
    summary="File a mail (or its thread)",
)
def file_mail(request, mail_id: int, payload: FileIn):
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=mail_id)
    filed = services.file_mail(mail, payload.code, request.user, whole_thread=payload.whole_thread)
    return {"filed": [m.pk for m in filed]}


@router.post(
    "/imports",
    response=answers({202: BatchOut}, 400, 403, 413, 422),
    summary="Upload .eml/mbox files to import",
)
def start_import(request, files: File[list[UploadedFile]]):
    if not request.user.can_write:
        raise PermissionDenied
    batch = services.start_batch(files, request.user)
    return Status(202, batch_out(batch))


@router.get(
    "/imports/{int:batch_id}", response=answers(BatchOut, 404, 422), summary="An import's progress"
)
def import_progress(request, batch_id: int):
    return batch_out(get_object_or_404(ImportBatch, pk=batch_id, user=request.user))


def decoded_attachments(items: list[AttachmentIn]) -> list[SimpleUploadedFile]:
    """The attachments as uploaded files for ComposeForm; bad base64 or too much: 422."""
    limit = services.SEND_ATTACHMENTS_LIMIT
    # Far too much is refused before decoding (base64: 3 bytes in 4 characters, plus line
    # breaks); ComposeForm checks the exact size after.
    encoded = sum(len(item.content_base64) for item in items)
    if encoded // 4 * 3 > limit * 1.1 + 3 * len(items):
        message = _("The attachments come to %(size)s; at most %(limit)s can be sent in one mail.")
        size = {"size": filesizeformat(encoded // 4 * 3), "limit": filesizeformat(limit)}
        raise ValidationError({"attachments": [message % size]})
    files, errors = [], []
    for number, item in enumerate(items, start=1):
        name = parsing.safe_filename(item.name, f"attachment-{number}")  # no path, no CR/LF
        try:
            data = base64.b64decode("".join(item.content_base64.split()), validate=True)
        except (binascii.Error, ValueError):
            errors.append(_("%(name)s: the content is not valid base64.") % {"name": name})
            continue
        content_type = item.content_type.strip() or "application/octet-stream"
        files.append(SimpleUploadedFile(name, data, content_type))
    if errors:
        raise ValidationError({"attachments": errors})
    return files


@router.post(
    "/send",
    response=answers({201: MailDetailOut}, 400, 403, 404, 422, 502),
    summary="Send a mail about a code",
)
def send(request, payload: SendIn):
    """Attachments: `[{"name", "content_type", "content_base64"}]`, together at most 15 MB.

    A code the user may not see is 404, as on the page; the sent copy is filed under it.
    """
    services.visible_customer(payload.code, request.user)
    if not request.user.can_write:
        raise PermissionDenied
    form = ComposeForm(
        {"to": payload.to, "cc": payload.cc, "subject": payload.subject, "body": payload.body},
        MultiValueDict({"attachments": decoded_attachments(payload.attachments)}),
    )
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    data = form.cleaned_data
    files = [(f.name, f.read(), f.content_type) for f in data["attachments"]]
    try:
        mail = services.send_mail(
            payload.code, request.user, to=data["to"], cc=data["cc"], subject=data["subject"],
            body=data["body"], attachments=files,
        )  # fmt: skip
    except OSError as error:  # the SMTP server refused or could not be reached
        message = _("The mail could not be sent: %(error)s") % {"error": error}
        raise ApiError(502, "mail_not_sent", message) from None
    return Status(201, get_mail(request, mail.pk))


@router.post(
    "/chats",
    response=answers({201: ChatOut}, 400, 403, 404, 413, 422),
    summary="Import a WhatsApp export (.txt/.zip)",
)
def import_chat(
    request, file: File[UploadedFile], code: Form[str] = "", date_order: Form[str] = ""
):
    """Adds the export to its chat: only messages not yet there (`added`; `skipped`: already
    there). `date_order` (dmy, mdy, ymd): needed when every date fits more than one order;
    without it such a file answers 422 with the readings under `fields.date_order`.
    At most TRACECODE_UPLOAD_MAX_MB; a .zip unpacks to at most TRACECODE_CHAT_UNPACKED_MAX_MB.

    `filed`: the new messages filed under a code you may see. `problems`: what was not as
    expected (a line read as text, a media file refused by its content …).
    """
    if not request.user.can_write:
        raise PermissionDenied
    order = services.date_order_of(date_order)
    try:
        upload = services.import_chat(file.name, file, request.user, code=code, date_order=order)
    except services.AmbiguousDates as error:
        raise ValidationError({"date_order": [str(error)]}) from None
    except services.ChatImportError as error:
        raise ValidationError({"file": [str(error)]}) from None
    added = upload.messages.all()
    return Status(
        201,
        {
            "id": upload.chat_id,
            "upload": upload.pk,
            "name": upload.name,
            "format": upload.format,
            "date_order": upload.date_order.lower(),
            "messages": upload.added + upload.skipped,
            "added": upload.added,
            "skipped": upload.skipped,
            "filed": added.filter(links__isnull=False).distinct().count(),
            "problems": upload.problems.splitlines(),
        },
    )


def chat_message_out(message) -> dict:
    """A chat message as the API shows it; `links` prefetched with services.visible_links."""
    return {
        "id": message.pk,
        "chat": message.chat_id,
        "timestamp": message.timestamp,
        "sender": message.sender,
        "text": message.text,
        "codes": [{"code": x.code, "how": x.how} for x in message.links.all()],
        "media": [
            {"filename": m.filename, "url": reverse("mail:chat_media", args=[m.pk])}
            for m in message.media.all()
        ],
        "url": reverse("mail:chat", args=[message.chat_id]) + f"#m{message.pk}",
    }


@router.get(
    "/chats/messages", response=ChatMessagePage, summary="Chat messages you may see, by code"
)
def list_chat_messages(
    request, code: str = "", chat: int = 0, unfiled: bool = False, limit: int = 50, offset: int = 0
):
    """By `code` (and the codes below it), `chat`, or `unfiled` (those waiting for a code);
    oldest first. Only the codes you may see are shown."""
    found = ChatMessage.objects.visible_to(request.user)
    if code:
        found = found.filter(links__code__in=services.codes_below(code.strip().upper()))
    if chat:
        found = found.filter(chat_id=chat)
    if unfiled:
        found = found.unfiled()
    found = (
        found.distinct()
        .order_by("timestamp", "pk")
        .prefetch_related(services.visible_links(request.user, ChatLink), "media")
    )
    limit = max(1, min(limit, 200))
    offset = max(0, offset)
    return {
        "items": [chat_message_out(m) for m in found[offset : offset + limit]],
        "count": found.count(),
    }


@router.post(
    "/chats/messages/{int:message_id}/file", response=FiledOut, summary="File a chat message"
)
def file_chat_message(request, message_id: int, payload: ChatFileIn):
    message = visible_or_404(ChatMessage.objects.all(), request.user, pk=message_id)
    filed = services.file_chat_messages([message], payload.code, request.user)
    return {"filed": [m.pk for m in filed]}


@router.post(
    "/chats/{int:chat_id}/file", response=FiledOut, summary="File a chat's unfiled messages"
)
def file_chat(request, chat_id: int, payload: ChatFileIn):
    """Every message of the chat that waits in your Unfiled, under one code."""
    chat = get_object_or_404(ChatImport, pk=chat_id)
    if not ChatMessage.objects.visible_to(request.user).filter(chat=chat).exists():
        raise Http404
    filed = services.file_chat_messages(
        services.unfiled_of(chat, request.user), payload.code, request.user
    )
    return {"filed": [m.pk for m in filed]}
