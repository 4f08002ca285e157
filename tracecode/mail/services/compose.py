"""Writing mails: replies and forwards that stay in their thread with the code in the
subject, templates with placeholders, signatures, the record's files to attach, and drafts
that keep what a failed send carried.

    prefill = compose.reply(mail, user, to_all=True)       # to, cc, subject, body, code
    files = compose.attachables(code, user, mail=mail)     # what may be attached, by key
    compose.send(prefill, user, uploads=[…], picks=[…])     # sent, filed, threaded
"""

import email.parser
import email.policy
import mimetypes
import re
import uuid
from dataclasses import dataclass, field, replace
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from tracecode.codes import registry

from .. import parsing
from ..models import (
    ChatMessage,
    DraftAttachment,
    MailAccount,
    MailDraft,
    MailMessage,
    MailReference,
    MailTemplate,
    Signature,
)
from ..parsing.headers import message_ids
from .codes import customer_of
from .outgoing import SEND_ATTACHMENTS_LIMIT, send_mail, subject_prefix

PLACEHOLDERS = {
    "code": gettext_lazy("the code the mail is about (RK1047-1)"),
    "customer": gettext_lazy("the customer's company name"),
    "contact": gettext_lazy("the person written to"),
    "part": gettext_lazy("the project's part name (SP1003)"),
    "sender": gettext_lazy("the writer's name"),
    "sender_email": gettext_lazy("the writer's mail address"),
    "company": gettext_lazy("our company's name"),
    "date": gettext_lazy("today's date"),
}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
CHINESE_COUNTRIES = {"CN", "TW", "HK", "MO"}
CHINESE = re.compile(r"[\u3400-\u9fff]")
REPLY_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|回复|答复)\s*[:：]\s*)+", re.I)
FORWARD_PREFIX = re.compile(r"^\s*((fwd?|wg|tr|转发)\s*[:：]\s*)+", re.I)
DRAFTS_FOLDER = "Drafts"
FILES_PER_KIND = 100  # the newest this many of each kind are offered


def fill(text: str, values: dict) -> str:
    """`{code}` and the other placeholders replaced; an unknown one is left as it is."""
    return PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text or "")


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def language_for(code: str = "", mail: MailMessage | None = None) -> str:
    """Chinese for a mail written in Chinese or a customer in a Chinese-speaking country."""
    if mail is not None and CHINESE.search(f"{mail.subject}\n{mail.text[:2000]}"):
        return "zh-hans"
    customer = customer_of(code) if code else None
    if customer is not None and customer.country in CHINESE_COUNTRIES:
        return "zh-hans"
    return "en"


def _part_of(code: str) -> str:
    """The part name of the project `code` is (or lies under)."""
    found = registry.find(code) if code else None
    if found is None:
        return ""
    for link in registry.chain(found):
        if link.kind.name == "project":
            return getattr(link.record, "name", "")
    return ""


def values_for(code: str, user, *, contact: str = "", language: str = "en") -> dict:
    """What the placeholders stand for in a mail about `code` written by `user`."""
    customer = customer_of(code) if code else None
    if not contact and customer is not None:
        main = customer.contacts.order_by("-is_main", "pk").first()
        contact = main.name if main else ""
    chinese = language.startswith("zh")
    company = getattr(settings, "COMPANY_NAME_ZH", "") if chinese else ""
    return {
        "code": code,
        "customer": customer.company_name if customer else "",
        "contact": contact,
        "part": _part_of(code),
        "sender": user.get_full_name() or user.username,
        "sender_email": user.email or settings.DEFAULT_FROM_EMAIL,
        "company": company or settings.COMPANY_NAME,
        "date": f"{timezone.localdate():%Y-%m-%d}",
    }


def render(template: MailTemplate, language: str, values: dict) -> tuple[str, str]:
    """The template's subject and text in `language` (Chinese falls back to English)."""
    chinese = language.startswith("zh") and template.body_zh.strip()
    subject = template.subject_zh if chinese and template.subject_zh else template.subject
    body = template.body_zh if chinese else template.body
    return fill(subject, values), fill(body, values)


def signature_of(user, language: str = "en") -> str:
    """The user's signature in `language`; without one, their name and the company's."""
    found = Signature.objects.filter(user=user).first()
    chinese = language.startswith("zh")
    if found is not None:
        text = found.text_zh.strip() if chinese and found.text_zh.strip() else found.text.strip()
        if text:
            return text
    company = getattr(settings, "COMPANY_NAME_ZH", "") if chinese else ""
    return f"{user.get_full_name() or user.username}\n{company or settings.COMPANY_NAME}"


def templates():
    return MailTemplate.objects.filter(active=True)


def template(key: str) -> MailTemplate | None:
    return templates().filter(key=key).first() if key else None


# Subjects and bodies -------------------------------------------------------------------------


def has_code(subject: str, code: str) -> bool:
    pattern = rf"(?<![\w-]){re.escape(code)}(?!\w)"
    return bool(code) and re.search(pattern, subject or "", re.I) is not None


def with_code(subject: str, code: str) -> str:
    """The subject carrying `code` (`[RK1047-1] …`), unless it already does."""
    return subject if not code or has_code(subject, code) else subject_prefix(code) + subject


def reply_subject(subject: str, code: str) -> str:
    return "Re: " + with_code(REPLY_PREFIX.sub("", subject or "").strip(), code)


def forward_subject(subject: str, code: str) -> str:
    rest = FORWARD_PREFIX.sub("", REPLY_PREFIX.sub("", subject or "")).strip()
    return "Fwd: " + with_code(rest, code)


def _who(mail: MailMessage) -> str:
    return f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender


def quoted(mail: MailMessage, language: str) -> str:
    with override(language):
        header = _("On %(date)s, %(sender)s wrote:") % {
            "date": f"{timezone.localtime(mail.date):%Y-%m-%d %H:%M}",
            "sender": _who(mail),
        }
    lines = (mail.text or "").strip().splitlines()
    return header + "\n" + "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def forwarded(mail: MailMessage, language: str) -> str:
    with override(language):
        rows = [
            _("---------- Forwarded message ----------"),
            _("From: %(sender)s") % {"sender": _who(mail)},
            _("Date: %(date)s") % {"date": f"{timezone.localtime(mail.date):%Y-%m-%d %H:%M}"},
            _("Subject: %(subject)s") % {"subject": mail.subject},
            _("To: %(to)s") % {"to": mail.to},
        ]
    if mail.cc:
        rows.append(f"Cc: {mail.cc}")
    return "\n".join(rows) + "\n\n" + (mail.text or "").strip()


def body_of(*parts: str, lead: bool) -> str:
    """Parts one blank line apart; `lead`: room to type above them."""
    text = "\n\n".join(p.strip("\n") for p in parts if p and p.strip())
    return ("\n\n" + text) if lead and text else text


# What a new mail, a reply and a forward start with ----------------------------------------


@dataclass
class Compose:
    """A mail being written: what the page shows and what goes out."""

    mode: str
    code: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    mail: MailMessage | None = None  # the mail replied to or forwarded
    language: str = "en"
    picks: list[str] = field(default_factory=list)  # attachables offered ticked

    @property
    def in_reply_to(self) -> str:
        return self.mail.message_id if self.mail is not None else ""


def _addresses(text: str) -> list[str]:
    return [address for _name, address in getaddresses([text or ""]) if "@" in address]


def _unique(addresses, leave_out=()) -> list[str]:
    seen = {a.lower() for a in leave_out}
    kept = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            kept.append(address)
    return kept


def _headers(mail: MailMessage):
    if not mail.eml:
        return None
    try:
        with mail.eml.open("rb") as handle:
            return email.parser.BytesHeaderParser(policy=email.policy.default).parse(handle)
    except (OSError, ValueError):
        return None


def our_addresses(user) -> set[str]:
    """The company's and the writer's own addresses: never replied to."""
    ours = {settings.DEFAULT_FROM_EMAIL, getattr(settings, "COMPANY_EMAIL", ""), user.email}
    ours |= set(
        MailAccount.objects.filter(username__contains="@").values_list("username", flat=True)
    )
    return {a.lower() for a in ours if a}


def reply_recipients(mail: MailMessage, user, *, to_all: bool) -> tuple[list[str], list[str]]:
    ours = our_addresses(user)
    if mail.direction == MailMessage.Direction.OUT:
        to = _unique(_addresses(mail.to), ours)
        return to, (_unique(_addresses(mail.cc), ours | set(to)) if to_all else [])
    headers = _headers(mail)
    reply_to = _addresses(str(headers.get("Reply-To", ""))) if headers is not None else []
    to = _unique(reply_to or [mail.sender], ours) or _unique([mail.sender])
    if not to_all:
        return to, []
    others = _addresses(mail.to) + _addresses(mail.cc)
    return to, _unique(others, ours | {a.lower() for a in to})


def thread_references(mail: MailMessage) -> list[str]:
    """The Message-IDs the mail itself answers, oldest first: a reply's References header
    is these and the mail's own."""
    headers = _headers(mail)
    if headers is not None:
        ids = [
            *message_ids(str(headers.get("References", ""))),
            *message_ids(str(headers.get("In-Reply-To", ""))),
        ]
    else:
        ids = list(MailReference.objects.filter(mail=mail).values_list("message_id", flat=True))
    return [i for i in dict.fromkeys(ids) if i and i != mail.message_id]


def default_code(mail: MailMessage, user) -> str:
    """The first code of the mail that the user may see."""
    link = mail.links.visible_to(user).order_by("pk").first()
    return link.code if link else ""


def _apply(compose: Compose, user, template_key: str, contact: str) -> Compose:
    found = template(template_key)
    if found is None:
        return compose
    values = values_for(compose.code, user, contact=contact, language=compose.language)
    subject, text = render(found, compose.language, values)
    if compose.mode == MailDraft.Mode.NEW and subject:
        compose.subject = with_code(subject, compose.code)
    compose.body = body_of(text, compose.body, lead=False)
    return compose


def new_mail(code: str, user, *, template_key: str = "", language: str = "") -> Compose:
    language = language or language_for(code)
    compose = Compose(
        MailDraft.Mode.NEW,
        code,
        to=[a for a in [main_contact(code)] if a],
        subject=subject_prefix(code),
        body=body_of(signature_of(user, language), lead=True),
        language=language,
    )
    return _apply(compose, user, template_key, "")


def main_contact(code: str) -> str:
    from .outgoing import main_contact_email

    return main_contact_email(code) if code else ""


def reply(
    mail: MailMessage,
    user,
    *,
    to_all: bool = False,
    code: str = "",
    template_key: str = "",
    language: str = "",
) -> Compose:
    code = code or default_code(mail, user)
    language = language or language_for(code, mail)
    to, cc = reply_recipients(mail, user, to_all=to_all)
    compose = Compose(
        MailDraft.Mode.REPLY_ALL if to_all else MailDraft.Mode.REPLY,
        code,
        to=to,
        cc=cc,
        subject=reply_subject(mail.subject, code),
        body=body_of(signature_of(user, language), quoted(mail, language), lead=True),
        mail=mail,
        language=language,
    )
    contact = mail.sender_name if mail.direction == MailMessage.Direction.IN else ""
    return _apply(compose, user, template_key, contact)


def forward(
    mail: MailMessage, user, *, code: str = "", template_key: str = "", language: str = ""
) -> Compose:
    code = code or default_code(mail, user)
    language = language or language_for(code, mail)
    compose = Compose(
        MailDraft.Mode.FORWARD,
        code,
        subject=forward_subject(mail.subject, code),
        body=body_of(signature_of(user, language), forwarded(mail, language), lead=True),
        mail=mail,
        language=language,
        picks=[f"attachment:{a.pk}" for a in mail.attachments.all() if not a.inline],
    )
    return _apply(compose, user, template_key, "")


def start(mode: str, user, *, code: str = "", mail=None, template_key="", language=""):
    """What a new mail, a reply, a reply to all or a forward starts with."""
    if mode == MailDraft.Mode.NEW:
        return new_mail(code, user, template_key=template_key, language=language)
    if mode == MailDraft.Mode.FORWARD:
        return forward(mail, user, code=code, template_key=template_key, language=language)
    to_all = mode == MailDraft.Mode.REPLY_ALL
    return reply(mail, user, to_all=to_all, code=code, template_key=template_key, language=language)


def with_template(compose: Compose, user, template_key: str, language: str) -> Compose:
    """`compose` with a template's text put above what was written (new mail: its subject
    too), in `language`."""
    compose = replace(compose, language=language or compose.language)
    contact = ""
    if compose.mail is not None and compose.mail.direction == MailMessage.Direction.IN:
        contact = compose.mail.sender_name
    return _apply(compose, user, template_key, contact)


# The files one may attach ------------------------------------------------------------------


@dataclass(frozen=True)
class Attachable:
    """A file that may go with the mail, named by a key the form sends back."""

    key: str  # `document:12:pdf`, `file:31:file`, `attachment:9`, `held:4`
    name: str
    group: str
    file: object  # the FieldFile
    size: int | None = None
    content_type: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({filesizeformat(self.size)})" if self.size else self.name

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def mime(self) -> str:
        return self.content_type or mimetypes.guess_type(self.name)[0] or "application/octet-stream"


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _filed_files(code: str, user, seen: set[str]) -> list[Attachable]:
    """The files of every filed kind in the record registry under `code` and below that
    `user` may see: generated documents, quotation revisions, uploads (and attachments of
    mails filed there, which are uploads' StoredFiles too) …"""
    codes = registry.codes_below(code)
    found = []
    for kind in registry.filed_kinds():
        if kind.model in (MailMessage, ChatMessage):
            continue  # a mail's original and chat messages are not files to send on
        fields = [f for f in kind.model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not fields:
            continue
        rows = registry.filed_under(kind, codes, user).distinct()
        order = f"-{kind.date}" if kind.date else "-pk"
        for row in rows.order_by(order, "-pk")[:FILES_PER_KIND]:
            for each in fields:
                stored = getattr(row, each.name)
                if not stored or not stored.name or stored.name in seen:
                    continue
                seen.add(stored.name)
                found.append(
                    Attachable(
                        f"{kind.name}:{row.pk}:{each.name}",
                        _basename(stored.name),
                        str(kind.label),
                        stored,
                        size=getattr(row, "size", None) if len(fields) == 1 else None,
                        content_type=getattr(row, "content_type", "") if len(fields) == 1 else "",
                    )
                )
    return found


def attachables(
    code: str, user, *, mail: MailMessage | None = None, draft: MailDraft | None = None
) -> list[Attachable]:
    """Everything `user` may attach to a mail about `code`: files kept from an earlier try,
    the attachments of the mail replied to or forwarded, and the record's files."""
    found: list[Attachable] = []
    seen: set[str] = set()
    if draft is not None:
        for held in draft.attachments.all():
            seen.add(held.file.name)
            found.append(
                Attachable(f"held:{held.pk}", held.filename, _("Kept from before"), held.file,
                           held.size, held.content_type)
            )  # fmt: skip
    if mail is not None:
        for item in mail.attachments.filter(inline=False):
            seen.add(item.file.name)
            found.append(
                Attachable(f"attachment:{item.pk}", item.filename, _("Attachments of the mail"),
                           item.file, item.size, item.content_type)
            )  # fmt: skip
    if code and registry.visible_codes(user, [code]):
        found += _filed_files(code, user, seen)
    return found


def picked(keys, offered: list[Attachable]) -> list[Attachable]:
    """The attachables named by `keys`; a key not offered to this user is refused."""
    by_key = {a.key: a for a in offered}
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise ValidationError(
            {"files": [_("%(key)s is not a file you may attach here.") % {"key": k}
                       for k in unknown]}
        )  # fmt: skip
    return [by_key[k] for k in dict.fromkeys(keys)]


def check_total(sizes: list[int]) -> None:
    total, limit = sum(sizes), SEND_ATTACHMENTS_LIMIT
    if total > limit:
        raise ValidationError(
            {"attachments": [
                _("The attachments come to %(size)s; at most %(limit)s can be sent in one mail.")
                % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
            ]}
        )  # fmt: skip


def send(
    compose: Compose,
    user,
    *,
    uploads: list[tuple[str, bytes, str]] = (),
    picks: list[Attachable] = (),
) -> MailMessage:
    """Send what was written, with the uploads and the picked files, in its thread."""
    files = list(uploads) + [(a.name, a.read(), a.mime()) for a in picks]
    check_total([len(data) for _name, data, _type in files])
    references = thread_references(compose.mail) if compose.mail is not None else []
    return send_mail(
        compose.code, user, to=compose.to, cc=compose.cc, subject=compose.subject,
        body=compose.body, attachments=files, in_reply_to=compose.in_reply_to,
        references=references,
    )  # fmt: skip


# Drafts ------------------------------------------------------------------------------------


def keep_draft(
    user,
    compose: Compose,
    *,
    draft: MailDraft | None = None,
    uploads: list[tuple[str, bytes, str]] = (),
    error: str = "",
) -> MailDraft:
    """Keep what was written, ticked and uploaded, so that nothing is lost when a send fails
    or a template is applied. Uploads are stored until the mail goes out; files kept from
    before stay while they are ticked (`compose.picks` holds their `held:` keys)."""
    draft = draft or MailDraft(owner=user)
    draft.mode, draft.code, draft.mail = compose.mode, compose.code, compose.mail
    draft.to, draft.cc = ", ".join(compose.to), ", ".join(compose.cc)
    draft.subject, draft.body = compose.subject[:1000], compose.body
    draft.picks = [k for k in compose.picks if not k.startswith("held:")]
    draft.error = error
    draft.save()
    for held in draft.attachments.all():
        if f"held:{held.pk}" not in compose.picks:
            _forget(held)
    for name, data, content_type in uploads:
        safe = parsing.safe_filename(name, "attachment")
        stored = default_storage.save(
            f"{DRAFTS_FOLDER}/{uuid.uuid4().hex}/{safe}", ContentFile(data)
        )
        DraftAttachment.objects.create(
            draft=draft, filename=safe, content_type=(content_type or "")[:150], size=len(data),
            file=stored,
        )  # fmt: skip
    return draft


def ticked(draft: MailDraft) -> list[str]:
    """What a draft has ticked: its picks and every file it keeps."""
    return [*draft.picks, *(f"held:{pk}" for pk in draft.attachments.values_list("pk", flat=True))]


def _forget(held: DraftAttachment) -> None:
    name = held.file.name
    held.delete()
    if name:
        default_storage.delete(name)


def discard(draft: MailDraft | None) -> None:
    """A draft that went out: its uploads and itself are gone."""
    if draft is None or draft.pk is None:
        return
    for held in draft.attachments.all():
        _forget(held)
    draft.delete()


def draft_of(user, pk) -> MailDraft | None:
    """The user's own draft `pk`, or None (anyone else's is none of theirs)."""
    try:
        return MailDraft.objects.filter(owner=user).select_related("mail").get(pk=int(pk))
    except (MailDraft.DoesNotExist, TypeError, ValueError):
        return None
