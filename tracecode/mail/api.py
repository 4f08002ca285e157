"""Mail API (router mounted at /api/mail/): list, detail, import, file, send, reply and
forward, templates, signature, the mail server's state, WhatsApp import.

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
from .models import (
    ChatImport,
    ChatLink,
    ChatMessage,
    ImportBatch,
    MailDraft,
    MailMessage,
    Signature,
)
from .services import compose

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
    files: list[str] = []


class ReplyIn(Input):
    """What is not given is taken from the reply (or forward) as the page starts it."""

    code: str = ""
    to: str | None = None
    cc: str | None = None
    subject: str | None = None
    body: str | None = None
    template: str = ""
    language: str = ""
    attachments: list[AttachmentIn] = []
    files: list[str] | None = None


class AttachableOut(Schema):
    key: str
    name: str
    group: str
    size: int | None


class ComposeOut(Schema):
    mode: str
    code: str
    to: list[str]
    cc: list[str]
    subject: str
    body: str
    in_reply_to: str
    references: list[str]
    language: str
    files: list[str]
    attachable: list[AttachableOut]


class TemplateOut(Schema):
    key: str
    name: str
    name_zh: str
    subject: str
    body: str
    subject_zh: str
    body_zh: str


class RenderIn(Input):
    code: str
    language: str = "en"
    mail: int | None = None


class RenderOut(Schema):
    subject: str
    body: str


class SignatureOut(Schema):
    text: str = ""
    text_zh: str = ""


class SignatureIn(Input):
    text: str = ""
    text_zh: str = ""


class ServerOut(Schema):
    ok: bool
    address: str
    problem: str


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


class ChatFileIn(Input):
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


def _attachable_out(item) -> dict:
    return {"key": item.key, "name": item.name, "group": item.group, "size": item.size}


def _send(request, mode, *, code, data: dict, uploads, keys, mail=None):
    """Validate as the page does and send; 502 `mail_not_sent` when the server refuses."""
    offered = compose.attachables(code, request.user, mail=mail)
    form = ComposeForm(
        {**data, "files": keys}, MultiValueDict({"attachments": uploads}),
        offered=offered, with_code=mode != MailDraft.Mode.NEW,
    )  # fmt: skip
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    clean = form.cleaned_data
    written = compose.Compose(
        mode, clean.get("code", code).strip().upper(), to=clean["to"], cc=clean["cc"],
        subject=clean["subject"], body=clean["body"], mail=mail,
    )  # fmt: skip
    files = [(f.name, f.read(), f.content_type) for f in clean["attachments"]]
    try:
        sent = compose.send(
            written, request.user, uploads=files, picks=compose.picked(clean["files"], offered)
        )
    except services.MailNotSent as error:
        raise ApiError(502, "mail_not_sent", str(error)) from None
    return Status(201, get_mail(request, sent.pk))


@router.post(
    "/send",
    response=answers({201: MailDetailOut}, 400, 403, 404, 422, 502),
    summary="Send a mail about a code",
)
def send(request, payload: SendIn):
    """Attachments: `[{"name", "content_type", "content_base64"}]`, and `files`: keys of the
    record's files (`GET /api/mail/attachable?code=…`); together at most 15 MB.

    A code the user may not see is 404, as on the page; the sent copy is filed under it.
    """
    code = payload.code.strip().upper()
    services.visible_customer(code, request.user)
    if not request.user.can_write:
        raise PermissionDenied
    data = {"to": payload.to, "cc": payload.cc, "subject": payload.subject, "body": payload.body}
    uploads = decoded_attachments(payload.attachments)
    return _send(request, MailDraft.Mode.NEW, code=code, data=data, uploads=uploads,
                 keys=payload.files)  # fmt: skip


def _started(request, mode, mail, *, code="", template="", language=""):
    return compose.start(
        mode, request.user, code=code, mail=mail, template_key=template, language=language
    )


def _compose_out(request, written) -> dict:
    offered = compose.attachables(written.code, request.user, mail=written.mail)
    references = compose.thread_references(written.mail) if written.mail else []
    return {
        "mode": written.mode,
        "code": written.code,
        "to": written.to,
        "cc": written.cc,
        "subject": written.subject,
        "body": written.body,
        "in_reply_to": written.in_reply_to,
        "references": [*references, written.in_reply_to] if written.in_reply_to else [],
        "language": written.language,
        "files": written.picks,
        "attachable": [_attachable_out(a) for a in offered],
    }


@router.get(
    "/{int:mail_id}/reply", response=answers(ComposeOut, 404, 422), summary="How a reply starts"
)
def start_reply(
    request, mail_id: int, all: bool = False, code: str = "", template: str = "",
    language: str = "",
):  # fmt: skip
    """`all=true`: reply to all. The recipients, the subject with the code, the text with
    the signature (and `template`'s text) over the quoted mail, the thread's Message-IDs,
    and the files one may attach."""
    mode = MailDraft.Mode.REPLY_ALL if all else MailDraft.Mode.REPLY
    return _start(request, mode, mail_id, code=code, template=template, language=language)


@router.get(
    "/{int:mail_id}/forward", response=answers(ComposeOut, 404, 422), summary="How a forward starts"
)
def start_forward(request, mail_id: int, code: str = "", template: str = "", language: str = ""):
    """As a reply starts, with the forwarded mail below and its attachments ticked."""
    mode = MailDraft.Mode.FORWARD
    return _start(request, mode, mail_id, code=code, template=template, language=language)


@router.post(
    "/{int:mail_id}/reply",
    response=answers({201: MailDetailOut}, 400, 403, 404, 422, 502),
    summary="Reply to a mail",
)
def reply(request, mail_id: int, payload: ReplyIn, all: bool = False):
    """The reply keeps the thread (In-Reply-To, References) and is filed under `code`
    (default: the mail's first code you may see); its subject carries the code. Fields
    left out are those `GET` on the same address shows."""
    mode = MailDraft.Mode.REPLY_ALL if all else MailDraft.Mode.REPLY
    return _answer(request, mode, mail_id, payload)


@router.post(
    "/{int:mail_id}/forward",
    response=answers({201: MailDetailOut}, 400, 403, 404, 422, 502),
    summary="Forward a mail",
)
def forward(request, mail_id: int, payload: ReplyIn):
    """As a reply; the forwarded mail's attachments go with it unless `files` says
    otherwise."""
    return _answer(request, MailDraft.Mode.FORWARD, mail_id, payload)


def _start(request, mode, mail_id, **how):
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=mail_id)
    return _compose_out(request, _started(request, mode, mail, **how))


def _answer(request, mode, mail_id: int, payload: ReplyIn):
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=mail_id)
    if not request.user.can_write:
        raise PermissionDenied
    written = _started(
        request, mode, mail, code=payload.code.strip().upper(), template=payload.template,
        language=payload.language,
    )  # fmt: skip
    data = {
        "code": written.code,
        "to": payload.to if payload.to is not None else ", ".join(written.to),
        "cc": payload.cc if payload.cc is not None else ", ".join(written.cc),
        "subject": payload.subject if payload.subject is not None else written.subject,
        "body": payload.body if payload.body is not None else written.body,
    }
    keys = payload.files if payload.files is not None else written.picks
    uploads = decoded_attachments(payload.attachments)
    return _send(request, mode, code=written.code, data=data, uploads=uploads, keys=keys,
                 mail=mail)  # fmt: skip


@router.get(
    "/attachable", response=answers(list[AttachableOut], 404, 422), summary="Files one may attach"
)
def attachable(request, code: str):
    """The files filed under `code` and below that you may see (generated PI/CI/PL,
    quotation revisions, uploads, mail attachments), each with the key `files` takes."""
    code = code.strip().upper()
    services.visible_customer(code, request.user)
    return [_attachable_out(a) for a in compose.attachables(code, request.user)]


@router.get("/templates", response=answers(list[TemplateOut]), summary="Mail templates")
def list_templates(request):
    """Placeholders: `{code}`, `{customer}`, `{contact}`, `{part}`, `{sender}`,
    `{sender_email}`, `{company}`, `{date}`. Administrators edit them in the admin site."""
    return list(compose.templates())


@router.post(
    "/templates/{key}/render",
    response=answers(RenderOut, 400, 404, 422),
    summary="A template, filled in",
)
def render_template(request, key: str, payload: RenderIn):
    found = compose.template(key)
    if found is None:
        raise Http404
    code = payload.code.strip().upper()
    services.visible_customer(code, request.user)
    contact = ""
    if payload.mail is not None:
        mail = visible_or_404(MailMessage.objects.all(), request.user, pk=payload.mail)
        contact = mail.sender_name if mail.direction == MailMessage.Direction.IN else ""
    values = compose.values_for(code, request.user, contact=contact, language=payload.language)
    subject, body = compose.render(found, payload.language, values)
    return {"subject": subject, "body": body}


@router.get("/signature", response=answers(SignatureOut), summary="Your mail signature")
def get_signature(request):
    found = Signature.objects.filter(user=request.user).first()
    return found or {"text": "", "text_zh": ""}


@router.put(
    "/signature", response=answers(SignatureOut, 400, 422), summary="Change your mail signature"
)
def put_signature(request, payload: SignatureIn):
    found = Signature.objects.filter(user=request.user).first() or Signature(user=request.user)
    found.text, found.text_zh = payload.text, payload.text_zh
    found.save()
    return found


@router.get("/server", response=answers(ServerOut), summary="Whether a mail server answers")
def mail_server(request):
    """`ok` false: mails cannot be sent; `problem` says why (see TRACECODE_SMTP_… in the
    README's Settings)."""
    status = services.server_status()
    return {"ok": status.ok, "address": status.address, "problem": status.problem}


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
    "/chats/messages",
    response=answers(ChatMessagePage, 422),
    summary="Chat messages you may see, by code",
)
def list_chat_messages(
    request, page: Query[PageIn], code: str = "", chat: int = 0, unfiled: bool = False
):
    """By `code` (and the codes below it), `chat`, or `unfiled` (those waiting for a code);
    oldest first. Only the codes you may see are shown."""
    found = ChatMessage.objects.visible_to(request.user)
    if code:
        found = found.filter(links__code__in=services.codes_below(code.strip().upper()))
    if chat:
        # Through the chat's own key: an id beyond any the database holds finds none (on the
        # foreign key column itself, SQLite refuses such a number with an error).
        found = found.filter(chat__pk=chat)
    if unfiled:
        found = found.unfiled()
    found = (
        found.distinct()
        .order_by("timestamp", "pk")
        .prefetch_related(services.visible_links(request.user, ChatLink), "media")
    )
    return {
        "items": [chat_message_out(m) for m in found[page.offset : page.offset + page.limit]],
        "count": found.count(),
    }


@router.post(
    "/chats/messages/{int:message_id}/file",
    response=answers(FiledOut, 400, 403, 404, 422),
    summary="File a chat message",
)
def file_chat_message(request, message_id: int, payload: ChatFileIn):
    message = visible_or_404(ChatMessage.objects.all(), request.user, pk=message_id)
    filed = services.file_chat_messages([message], payload.code, request.user)
    return {"filed": [m.pk for m in filed]}


@router.post(
    "/chats/{int:chat_id}/file",
    response=answers(FiledOut, 400, 403, 404, 422),
    summary="File a chat's unfiled messages",
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
