"""The mail app's rules, one code path each: import, linking, filing, sending, chats, timeline.

Views, API, commands and tasks call these; nothing else writes mails.
"""

import contextlib
import datetime
import io
import logging
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, make_msgid
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.codes import registry
from tracecode.codes.services import schemes
from tracecode.customers.models import Contact, Customer
from tracecode.files.folders import folder_of_code
from tracecode.files.inspect import inspect as inspect_upload

from . import parsing
from .models import (
    ChatImport,
    ChatLink,
    ChatMedia,
    ChatMessage,
    How,
    MailAccount,
    MailAttachment,
    MailLink,
    MailMessage,
    MailReference,
)

log = logging.getLogger(__name__)

UNFILED_FOLDER = "Unfiled"
SUBJECT_IN_NAME = 80  # characters of the subject kept in a stored file's name
ATTACHMENT_TEXT_LIMIT = 100_000
ATTACHMENT_READ_LIMIT = 20_000_000  # larger attachments are kept but not read for search
# Links a later, better one replaces: a reply filed by its sender learns its thread's code.
WEAK = {How.THREAD, How.SENDER}


# --- codes ----------------------------------------------------------------------------------


def customer_of(code: str, _cache: dict | None = None) -> Customer | None:
    """The customer `code` belongs to (see the record registry), or None (unknown code)."""
    if _cache is not None and code in _cache:
        return _cache[code]
    found = registry.customer_of(code)
    if _cache is not None:
        _cache[code] = found
    return found


def linkable_customers(owner, cache: dict | None = None) -> set[int] | None:
    """The customers whose codes `owner`'s mails and chats may be filed under; None: every one.

    A user's upload or personal mailbox files only under customers that user may see: filing
    elsewhere would write into another salesperson's customer and tell that the code exists.
    Mail without owner (the shared company mailbox, a command-line import without --owner)
    is the company's and is filed by the rules alone, as are the uploads of managers and
    administrators, who see everything.
    """
    if owner is None or owner.sees_everything:
        return None
    key = ("customers", owner.pk)
    if cache is not None and key in cache:
        return cache[key]
    found = set(Customer.objects.visible_to(owner).values_list("pk", flat=True))
    if cache is not None:
        cache[key] = found
    return found


def linkable_codes(
    text: str, cache: dict | None = None, allowed: set[int] | None = None
) -> list[tuple[str, Customer]]:
    """The registered codes in `text` that resolve to a customer, in order, each once; with
    `allowed` (see linkable_customers), a code of any other customer counts as no code."""
    found: list[tuple[str, Customer]] = []
    seen: set[str] = set()
    for hit in schemes().find(text or ""):
        if hit.code in seen:
            continue
        seen.add(hit.code)
        customer = customer_of(hit.code, cache)
        if customer is not None and (allowed is None or customer.pk in allowed):
            found.append((hit.code, customer))
    return found


def check_code(code: str, user) -> Customer:
    """The customer of a code a user typed, if the user may file under it; else ValidationError."""
    code = (code or "").strip().upper()
    customer = customer_of(code) if code else None
    if customer is None:
        raise ValidationError({"code": [_("%(code)s is not a registered code.") % {"code": code}]})
    if not Customer.objects.editable_by(user).filter(pk=customer.pk).exists():
        # A code of a customer the user may not see is reported like an unknown one.
        if not Customer.objects.visible_to(user).filter(pk=customer.pk).exists():
            raise ValidationError(
                {"code": [_("%(code)s is not a registered code.") % {"code": code}]}
            )
        raise PermissionDenied
    return customer


def visible_customer(code: str, user) -> Customer:
    """The customer of a code the user may see, or Http404 (unknown and hidden alike)."""
    from django.http import Http404

    customer = customer_of(code.strip().upper()) if code else None
    if customer is None or not Customer.objects.visible_to(user).filter(pk=customer.pk).exists():
        raise Http404
    return customer


codes_below = registry.codes_below


# --- storage --------------------------------------------------------------------------------


def folder_for(
    code: str | None, customer_code: str | None, kind: str = "Mails", cache: dict | None = None
) -> str:
    """`<record's folder>/Mails` in the client folder framework: `RK1038 Acme Ltd/RK1038-1
    SP1003/RK1038-1-S1/Mails`; a code of no record (a contact's) files under its customer.
    `cache` (an import's) remembers the folders already looked up: they never move."""
    key = ("folder", code, customer_code)
    if cache is not None and key in cache:
        return f"{cache[key]}/{kind}"
    folder = None
    if code and customer_code:
        folder = folder_of_code(code) or folder_of_code(customer_code)
    folder = folder or UNFILED_FOLDER
    if cache is not None:
        cache[key] = folder
    return f"{folder}/{kind}"


def mail_file_name(date: datetime.datetime, subject: str) -> str:
    subject = parsing.safe_filename(subject[:SUBJECT_IN_NAME], "no subject")
    return f"{timezone.localtime(date):%Y-%m-%d} {subject}.eml"


def _save(folder: str, name: str, data: bytes) -> str:
    return default_storage.save(
        f"{folder}/{parsing.safe_filename(name, 'file')}", ContentFile(data)
    )


def _move(name: str, folder: str) -> str:
    if not name or not name.startswith(f"{UNFILED_FOLDER}/"):
        return name
    with default_storage.open(name, "rb") as f:
        new = _save(folder, name.rsplit("/", 1)[-1], f.read())
    default_storage.delete(name)
    return new


# --- linking --------------------------------------------------------------------------------


@dataclass
class Link:
    code: str
    customer: Customer
    how: str


def links_for(
    subject: str,
    text: str,
    references: Iterable[str],
    sender: str,
    cache: dict | None = None,
    owner=None,
) -> list[Link]:
    """Where a mail of `owner` belongs: subject codes, else body codes, else its thread, else
    its sender; only under customers the owner may see (the others count as none)."""
    allowed = linkable_customers(owner, cache)
    for how, where in ((How.SUBJECT, subject), (How.BODY, text)):
        found = linkable_codes(where, cache, allowed)
        if found:
            return [Link(code, customer, how) for code, customer in found]
    references = [r for r in references if r]
    if references:
        inherited = {
            link.code: Link(link.code, link.customer, How.THREAD)
            for link in thread_links(references, owner)
            if allowed is None or link.customer_id in allowed
        }
        if inherited:
            return list(inherited.values())
    if sender:
        customers = {c.pk: c for c in Customer.objects.filter(email__iexact=sender)}
        for contact in Contact.objects.filter(email__iexact=sender).select_related("customer"):
            customers[contact.customer_id] = contact.customer
        if allowed is not None:  # a hidden customer's address neither files nor makes ambiguous
            customers = {pk: c for pk, c in customers.items() if pk in allowed}
        if len(customers) == 1:
            customer = next(iter(customers.values()))
            return [Link(customer.code, customer, How.SENDER)]
    return []


def thread_links(references: Iterable[str], owner=None):
    """The links a reply of `owner` may inherit from the mails it references: a private copy
    passes its codes on to its owner's replies only."""
    parents = Q(mail__private_copy=False)
    if owner is not None:
        parents |= Q(mail__owner=owner)
    return (
        MailLink.objects.filter(parents, mail__message_id__in=list(references))
        .select_related("customer", "mail")
        .order_by("pk")
    )


def link_message(mail: MailMessage, cache: dict | None = None) -> list[MailLink]:
    """File a stored mail by the rules (see links_for); returns the links it got."""
    references = list(mail.references.values_list("message_id", flat=True))
    found = links_for(mail.subject, mail.text, references, mail.sender, cache, mail.owner)
    return _add_links(mail, found)


def _add_links(mail: MailMessage, found: list[Link], user=None) -> list[MailLink]:
    made = []
    existing = set(mail.links.values_list("code", flat=True))
    for link in found:
        if link.code in existing:
            continue
        existing.add(link.code)
        made.append(
            MailLink.objects.create(
                mail=mail, code=link.code, customer=link.customer, how=link.how, linked_by=user
            )
        )
    return made


def relink_replies(mail: MailMessage, user=None) -> int:
    """Replies already imported that are unfiled (or filed by sender only) join `mail`'s thread.

    Only replies `user` may see (the one who imported or filed `mail`; None: the system, for
    the shared mailbox), each only under codes its own owner may see, so that nobody's reply
    moves into a customer hidden from them and a crafted Message-ID captures nothing. A
    private copy passes its codes on to its owner's replies only.
    """
    count = 0
    queue = [mail]
    done = {mail.pk}
    cache: dict = {}
    candidates = MailMessage.objects.all() if user is None else MailMessage.objects.visible_to(user)
    while queue:
        parent = queue.pop()
        links = [
            Link(x.code, x.customer, How.THREAD) for x in parent.links.select_related("customer")
        ]
        if not links:
            continue
        replies = candidates.filter(references__message_id=parent.message_id)
        if parent.private_copy:
            replies = replies.filter(owner_id=parent.owner_id)
        for reply in replies.select_related("owner").distinct():
            if reply.pk in done:
                continue
            done.add(reply.pk)
            if set(reply.links.values_list("how", flat=True)) - WEAK:
                continue  # filed by its own code or by hand: left as it is
            allowed = linkable_customers(reply.owner, cache)
            passed = [x for x in links if allowed is None or x.customer.pk in allowed]
            if passed and _add_links(reply, passed):
                count += 1
                _moved(reply)
                _reindex(reply)
            queue.append(reply)
    return count


def thread_of(mail: MailMessage, user) -> list[MailMessage]:
    """The mails `user` may see that are connected to `mail` by In-Reply-To/References,
    `mail` included.

    The walk goes through visible mails only: a hidden mail neither shows (not even its
    subject) nor joins two visible parts of a thread, since joining them would tell it exists.
    """
    visible = MailMessage.objects.visible_to(user)
    found = {mail.pk: mail}
    queue = [mail]
    while queue:
        current = queue.pop()
        refs = list(current.references.values_list("message_id", flat=True))
        neighbours = visible.filter(
            Q(message_id__in=refs) | Q(references__message_id=current.message_id)
        )
        for other in neighbours.distinct():
            if other.pk not in found:
                found[other.pk] = other
                queue.append(other)
    return sorted(found.values(), key=lambda m: (m.date, m.pk))


def file_mail(
    mail: MailMessage, code: str, user, *, whole_thread: bool = False
) -> list[MailMessage]:
    """File a mail (or the part of its thread the user may see) under a code the user typed;
    returns the mails filed."""
    customer = check_code(code, user)
    code = code.strip().upper()
    mails = thread_of(mail, user) if whole_thread else [mail]
    with transaction.atomic():
        for each in mails:
            _add_links(each, [Link(code, customer, How.MANUAL)], user)
            _moved(each)
    for each in mails:
        _reindex(each)
        relink_replies(each, user)
    return mails


def _moved(mail: MailMessage) -> None:
    """An unfiled mail's files move into the folder of its first code."""
    link = mail.links.select_related("customer").first()
    if link is None or not mail.eml.name.startswith(f"{UNFILED_FOLDER}/"):
        return
    folder = folder_for(link.code, link.customer.code)
    mail.eml.name = _move(mail.eml.name, folder)
    mail.save(update_fields=["eml"])
    for attachment in mail.attachments.all():
        attachment.file.name = _move(attachment.file.name, folder)
        attachment.save(update_fields=["file"])


def _reindex(mail: MailMessage) -> None:
    if not apps.is_installed("tracecode.search"):
        return
    try:
        from tracecode.search import index
    except ImportError:
        return
    if type(mail) in {p.model for p in index.providers()}:
        index.write(mail)


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)
    mails: list[int] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def add(self, other: "ImportReport") -> None:
        self.imported += other.imported
        self.skipped += other.skipped
        self.failures += other.failures
        self.mails += other.mails

    def __str__(self) -> str:
        return (
            f"imported {self.imported}, skipped {self.skipped} (duplicates), failed {self.failed}"
        )


def _clean(text: str, limit: int | None = None) -> str:
    """Text as a database keeps it: PostgreSQL refuses NUL characters."""
    text = (text or "").replace("\x00", "")
    return text[:limit] if limit else text


def _addresses(addresses) -> str:
    return _clean(", ".join(str(a) for a in addresses))


def _attachment_text(attachment: parsing.Attachment) -> str:
    name = attachment.filename.lower()
    if attachment.content_type.startswith("text/plain") or name.endswith((".txt", ".csv")):
        return _clean(parsing.decode_bytes(attachment.payload[:ATTACHMENT_TEXT_LIMIT], None).text)
    if attachment.size > ATTACHMENT_READ_LIMIT:
        return ""
    try:  # PDF, xlsx, docx: the files app's extractor, where it exists
        from tracecode.files.extract import extract_text
    except ImportError:
        return ""
    return _clean(extract_text(name, attachment.payload))[:ATTACHMENT_TEXT_LIMIT]


@dataclass
class _Pending:
    """A parsed mail with its rows built and its files written, waiting for the insert."""

    mail: MailMessage
    references: list[str]
    attachments: list[MailAttachment]
    links: list[Link]
    written: list  # stored names (or futures of them): the .eml first, then the attachments

    def resolve(self) -> None:
        """The stored names, once written: the .eml first, then each attachment."""
        self.written = [w.result() if hasattr(w, "result") else w for w in self.written]
        self.mail.eml.name = self.written[0]
        for attachment, name in zip(self.attachments, self.written[1:], strict=True):
            attachment.file.name = name


def _references(parsed: parsing.ParsedMail) -> list[str]:
    ids = dict.fromkeys([parsed.in_reply_to or "", *parsed.references])
    return [_clean(r, 500) for r in ids if r]


def _pending(
    parsed: parsing.ParsedMail,
    raw: bytes,
    links: list[Link],
    *,
    source: str,
    account=None,
    owner=None,
    direction: str = MailMessage.Direction.IN,
    saver=None,
    cache: dict | None = None,
) -> _Pending:
    """Build the rows of a mail and write its files (through `saver`: futures, in threads)."""
    save = saver or _save
    date = parsed.date or timezone.now()
    if timezone.is_naive(date):
        date = timezone.make_aware(date, datetime.UTC)
    if parsed.forwarded and source == MailMessage.Source.IMAP:
        source = MailMessage.Source.FORWARD
    first = links[0] if links else None
    folder = folder_for(first and first.code, first and first.customer.code, cache=cache)
    mail = MailMessage(
        message_id=_clean(parsed.message_id, 500),
        in_reply_to=_clean(parsed.in_reply_to, 500),
        subject=_clean(parsed.subject, 1000),
        sender=_clean(parsed.sender.address if parsed.sender else "", 320),
        sender_name=_clean(parsed.sender.name if parsed.sender else "", 300),
        to=_addresses(parsed.to),
        cc=_addresses(parsed.cc),
        date=date,
        text=_clean(parsed.text),
        html=_clean(parsed.html),
        direction=direction,
        source=source,
        account=account,
        owner=owner,
        problems=_clean("\n".join(parsed.problems)),
    )
    pending = _Pending(mail, _references(parsed), [], links, [])
    pending.written.append(save(folder, mail_file_name(date, parsed.subject), raw))
    for number, attachment in enumerate(parsed.attachments, start=1):
        name = parsing.safe_filename(attachment.filename, f"attachment-{number}")
        pending.written.append(save(folder, name, attachment.payload))
        pending.attachments.append(
            MailAttachment(
                filename=name,
                content_type=_clean(attachment.content_type, 150),
                size=attachment.size,
                inline=attachment.inline,
                text=_attachment_text(attachment),
            )
        )
    if saver is None:
        pending.resolve()
    return pending


def _insert(pendings: list[_Pending], user=None) -> None:
    """Insert the rows of pending mails in one transaction (bulk: no per-row signals)."""
    with transaction.atomic():
        MailMessage.objects.bulk_create([p.mail for p in pendings])
        references, attachments, links = [], [], []
        for p in pendings:
            references += [MailReference(mail=p.mail, message_id=r) for r in p.references]
            for attachment in p.attachments:
                attachment.mail = p.mail
                attachments.append(attachment)
            links += [
                MailLink(mail=p.mail, code=x.code, customer=x.customer, how=x.how, linked_by=user)
                for x in {x.code: x for x in p.links}.values()
            ]
        MailReference.objects.bulk_create(references)
        MailAttachment.objects.bulk_create(attachments)
        MailLink.objects.bulk_create(links)


def _forget_files(pendings: list[_Pending]) -> None:
    for p in pendings:
        for name in p.written:
            with contextlib.suppress(OSError):
                default_storage.delete(name.result() if hasattr(name, "result") else name)


def _index_many(mails: list[MailMessage]) -> None:
    if not mails or not apps.is_installed("tracecode.search"):
        return
    try:
        from tracecode.search import index
    except ImportError:
        return
    provider = next((p for p in index.providers() if p.model is MailMessage), None)
    if provider is not None:
        ids = [m.pk for m in mails]
        index.write_many(provider, list(provider.all().filter(pk__in=ids)))


def store_mail(
    raw: bytes,
    *,
    source: str,
    account: MailAccount | None = None,
    owner=None,
    direction: str = MailMessage.Direction.IN,
    extra_links: list[Link] = (),
    user=None,
    cache: dict | None = None,
) -> MailMessage | None:
    """Parse, file and keep one mail; None when its Message-ID is already stored for `owner`
    (a duplicate; see already_stored)."""
    parsed = parsing.parse_message(raw)
    message_id = _clean(parsed.message_id, 500)
    theirs, hidden = already_stored([message_id], owner)
    if message_id in theirs:
        return None
    sender = parsed.sender.address if parsed.sender else ""
    links = links_for(parsed.subject, parsed.text, _references(parsed), sender, cache, owner)
    links = [*extra_links, *[x for x in links if x.code not in {e.code for e in extra_links}]]
    pending = _pending(
        parsed, raw, links, source=source, account=account, owner=owner, direction=direction
    )
    pending.mail.private_copy = message_id in hidden
    try:
        _insert([pending], user)
    except IntegrityError:  # the same Message-ID stored meanwhile by another import
        _forget_files([pending])
        if MailMessage.objects.filter(message_id=pending.mail.message_id).exists():
            return None
        raise
    _index_many([pending.mail])
    if links:
        relink_replies(pending.mail, owner)
    return pending.mail


def already_stored(message_ids: list[str], owner) -> tuple[set[str], set[str]]:
    """Of these Message-IDs: those stored for `owner` (duplicates, skipped), and those stored
    only where `owner` cannot see (kept again as the owner's private copy, so the import
    answers as for a new mail and never tells a hidden one exists). Mail without owner (the
    shared mailbox) is the company's: any stored one is a duplicate."""
    stored = MailMessage.objects.filter(message_id__in=message_ids)
    every = set(stored.values_list("message_id", flat=True))
    if owner is None or not every:
        return every, set()
    mine = Q(pk__in=MailMessage.objects.visible_to(owner).values("pk"))
    mine |= Q(owner=owner, private_copy=True)
    theirs = set(stored.filter(mine).values_list("message_id", flat=True))
    return theirs, every - theirs


CHUNK = 200  # mails parsed, then inserted, in one go


def store_many(
    items: list[tuple[str, bytes]],
    *,
    source: str,
    account=None,
    owner=None,
    user=None,
    cache: dict | None = None,
) -> list[MailMessage | None | Exception]:
    """Like store_mail for many mails at once: a few queries per chunk instead of per mail.

    Returns, per item, the mail, None (a duplicate) or the exception that stopped it.
    """
    cache = {} if cache is None else cache
    parsed = [parsing.parse_message(raw) for _where, raw in items]
    ids = [_clean(p.message_id, 500) for p in parsed]
    stored, hidden = already_stored(ids, owner)
    results: list = [None] * len(items)
    known: dict[str, list[Link]] = {}  # threads inside the chunk
    all_refs = {r for p in parsed for r in _references(p)}
    for link in thread_links(all_refs, owner):
        known.setdefault(link.mail.message_id, []).append(
            Link(link.code, link.customer, How.THREAD)
        )
    pendings: list[tuple[int, _Pending]] = []
    # Writing files waits on the disk, not on Python: a few threads write while we parse on.
    with ThreadPoolExecutor(max_workers=4) as pool:

        def saver(folder, name, data):
            return pool.submit(_save, folder, name, data)

        for number, (mail_parsed, message_id) in enumerate(zip(parsed, ids, strict=True)):
            if message_id in stored:
                continue
            stored.add(message_id)
            try:
                links = _chunk_links(mail_parsed, known, cache, owner)
                known[message_id] = [Link(x.code, x.customer, How.THREAD) for x in links]
                pending = _pending(
                    mail_parsed, items[number][1], links, source=source, account=account,
                    owner=owner, saver=saver, cache=cache,
                )  # fmt: skip
                pending.mail.private_copy = message_id in hidden
            except Exception as error:  # one bad message never stops the rest
                log.exception("mail import failed at %s", items[number][0])
                results[number] = error
                continue
            pendings.append((number, pending))
        try:
            for _n, pending in pendings:
                pending.resolve()
        except OSError as error:  # the disk refused: nothing of this chunk is kept
            _forget_files([p for _n, p in pendings])
            return [error] * len(items)
    try:
        _insert([p for _n, p in pendings], user)
    except Exception:  # one row the database refuses: fall back to one mail at a time
        _forget_files([p for _n, p in pendings])
        for number, _p in pendings:
            try:
                results[number] = store_mail(
                    items[number][1], source=source, account=account, owner=owner, user=user,
                    cache=cache,
                )  # fmt: skip
            except Exception as error:
                log.exception("mail import failed at %s", items[number][0])
                results[number] = error
        return results
    for number, pending in pendings:
        results[number] = pending.mail
    _index_many([p.mail for _n, p in pendings])
    linked = {p.mail.message_id: p.mail for _n, p in pendings if p.links}
    # Replies stored earlier (or earlier in this chunk) without a link of their own.
    strong = [h for h in How.values if h not in WEAK]
    filed_here = [p.mail.pk for _n, p in pendings if p.links]
    waiting = set(
        MailReference.objects.filter(message_id__in=list(linked))
        .exclude(mail__in=filed_here)
        .exclude(mail__links__how__in=strong)
        .values_list("message_id", flat=True)
    )
    for message_id in waiting:  # replies imported before their parent: they join its thread
        relink_replies(linked[message_id], owner)
    return results


def _chunk_links(parsed: parsing.ParsedMail, known: dict, cache: dict, owner) -> list[Link]:
    """links_for, with the chunk's threads in `known` and the senders remembered in `cache`."""
    allowed = linkable_customers(owner, cache)
    for how, where in ((How.SUBJECT, parsed.subject), (How.BODY, parsed.text)):
        found = linkable_codes(where, cache, allowed)
        if found:
            return [Link(code, customer, how) for code, customer in found]
    inherited = {}
    for reference in _references(parsed):
        for link in known.get(reference, []):
            if allowed is None or link.customer.pk in allowed:
                inherited[link.code] = link
    if inherited:
        return list(inherited.values())
    sender = (parsed.sender.address if parsed.sender else "").lower()
    if not sender:
        return []
    key = ("sender", owner and owner.pk, sender)
    if key not in cache:
        cache[key] = links_for("", "", [], sender, cache, owner)
    return cache[key]


def import_raw_items(
    items: Iterable[tuple[str, bytes | None, str | None]],
    *,
    source: str,
    owner=None,
    account: MailAccount | None = None,
    user=None,
) -> ImportReport:
    """Import (where, raw bytes, error) items; a bad one is counted, never a stop."""
    report = ImportReport()
    cache: dict = {}
    chunk: list[tuple[str, bytes]] = []

    def flush():
        results = store_many(
            chunk, source=source, owner=owner, account=account, user=user, cache=cache
        )
        for (where, _raw), result in zip(chunk, results, strict=True):
            if isinstance(result, Exception):
                report.failures.append(f"{where}: {result}")
            elif result is None:
                report.skipped += 1
            else:
                report.imported += 1
                report.mails.append(result.pk)
        chunk.clear()

    for where, raw, error in items:
        if error is not None or raw is None:
            report.failures.append(f"{where}: {error}")
            continue
        chunk.append((where, raw))
        if len(chunk) >= CHUNK:
            flush()
    if chunk:
        flush()
    return report


def is_mbox(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(5) == b"From "


def file_items(path: Path, shown_name: str | None = None):
    """(where, raw, error) of each message of one .eml or mbox file."""
    shown = shown_name or str(path)
    try:
        mbox = is_mbox(path)
    except OSError as error:
        yield shown, None, str(error)
        return
    if mbox:
        for item in parsing.iter_mbox(path):
            yield f"{shown}, message {item.index + 1}", item.raw, item.error
    else:
        for item in parsing.iter_eml_paths([path]):
            yield shown, item.raw, item.error


def import_files(
    paths: Iterable[str | os.PathLike],
    *,
    source: str = MailMessage.Source.UPLOAD,
    owner=None,
    user=None,
    names: list[str] | None = None,
    progress: Callable[[int, ImportReport], None] | None = None,
) -> ImportReport:
    """Import .eml and mbox files (directories: their .eml files); counts per outcome."""
    report = ImportReport()
    for number, path in enumerate(map(Path, paths)):
        shown = names[number] if names else str(path)
        if path.is_dir():
            items = ((str(i.path), i.raw, i.error) for i in parsing.iter_eml_paths([path]))
        elif not path.exists():
            items = iter([(shown, None, _("no such file"))])
        else:
            items = file_items(path, shown)
        report.add(import_raw_items(items, source=source, owner=owner, user=user))
        if progress:
            progress(number + 1, report)
    return report


# --- outgoing -------------------------------------------------------------------------------


# At most this much in attachments per sent mail (base64 makes the message a third larger;
# common SMTP servers accept 25 MB).
SEND_ATTACHMENTS_LIMIT = 15 * 1024 * 1024


def subject_prefix(code: str) -> str:
    return getattr(settings, "MAIL_SUBJECT_FORMAT", "[{code}] ").format(code=code)


def main_contact_email(code: str) -> str:
    customer = customer_of(code)
    if customer is None:
        return ""
    contact = customer.contacts.exclude(email="").order_by("-is_main", "pk").first()
    return contact.email if contact else customer.email


def send_mail(
    code: str,
    user,
    *,
    to: list[str],
    subject: str,
    body: str,
    cc: list[str] = (),
    attachments: list[tuple[str, bytes, str]] = (),
) -> MailMessage:
    """Send a mail about `code` through the default mailer and keep the sent copy, filed."""
    customer = check_code(code, user)
    code = code.strip().upper()
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tracecode"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        reply_to=[user.email] if user.email else None,
        headers={"Message-ID": make_msgid(domain=domain)},
    )
    for name, content, content_type in attachments:
        message.attach(name, content, content_type or None)
    raw = message.message().as_bytes()
    message.send()
    mail = store_mail(
        raw,
        source=MailMessage.Source.SENT,
        owner=user,
        direction=MailMessage.Direction.OUT,
        extra_links=[Link(code, customer, How.SENT)],
        user=user,
    )
    if mail is None:  # cannot happen with a fresh Message-ID; say so if it does
        raise RuntimeError("the sent mail's Message-ID is already stored")
    return mail


# --- IMAP -----------------------------------------------------------------------------------


@dataclass
class FetchReport(ImportReport):
    account: str = ""
    error: str = ""


def fetch_account(account: MailAccount, *, batch: int = 50) -> FetchReport:
    """Fetch new mail of one IMAP account from where it stopped (UIDVALIDITY/UID)."""
    import imaplib
    import ssl

    report = FetchReport(account=str(account))
    try:
        with _connect(account) as imap:
            imap.login(account.username, account.password)
            status, data = imap.select(_quote(account.folder), readonly=True)
            if status != "OK":
                raise imaplib.IMAP4.error(f"cannot open folder {account.folder!r}")
            uidvalidity = int(imap.untagged_responses.get("UIDVALIDITY", [b"0"])[0])
            if account.uidvalidity != uidvalidity:
                # The server renumbered the folder: read it all again; Message-IDs skip repeats.
                account.uidvalidity = uidvalidity
                account.last_uid = 0
            status, data = imap.uid("SEARCH", f"UID {account.last_uid + 1}:*")
            uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > account.last_uid)
            for start in range(0, len(uids), batch):
                chunk = uids[start : start + batch]
                status, data = imap.uid("FETCH", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")
                items = []
                for part in data:
                    if isinstance(part, tuple):
                        match = re.search(rb"UID (\d+)", part[0])
                        uid = match.group(1).decode() if match else "?"
                        items.append((f"{account.folder} UID {uid}", part[1], None))
                report.add(
                    import_raw_items(
                        items, source=MailMessage.Source.IMAP, owner=account.owner, account=account
                    )
                )
                account.last_uid = chunk[-1]
                account.save(update_fields=["uidvalidity", "last_uid"])
        account.last_error = ""
    except ssl.SSLCertVerificationError as error:
        report.error = f"{account.host}:{account.port}: " + _(
            "the server's TLS certificate could not be verified (%(reason)s); nothing was "
            "sent to it. For a server with its own CA, set TRACECODE_MAIL_IMAP_CA_FILE."
        ) % {"reason": error.verify_message or error.reason}
        account.last_error = report.error
        log.warning("mail fetch %s: %s", account.name, report.error)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        # The message names the server, never the password.
        report.error = f"{account.host}:{account.port}: {error}"
        account.last_error = report.error
        log.warning("mail fetch %s: %s", account.name, report.error)
    account.last_fetched_at = timezone.now()
    account.save(update_fields=["uidvalidity", "last_uid", "last_fetched_at", "last_error"])
    return report


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _tls_context():
    """Certificates verified against the system's CAs, plus TRACECODE_MAIL_IMAP_CA_FILE."""
    import ssl

    context = ssl.create_default_context()
    ca_file = getattr(settings, "MAIL_IMAP_CA_FILE", "")
    if ca_file:
        try:
            context.load_verify_locations(ca_file)
        except (OSError, ssl.SSLError) as error:
            raise OSError(
                _("the CA file %(path)s cannot be used: %(error)s")
                % {"path": ca_file, "error": error}
            ) from None
    return context


def _connect(account: MailAccount):
    """A connection to the account's server, encrypted as the account says, not yet logged in.

    TLS: implicit (IMAPS) or STARTTLS, the server's certificate and name verified; the
    password is never sent before that. No encryption only on loopback.
    """
    import imaplib

    if account.security == MailAccount.Security.SSL:
        return imaplib.IMAP4_SSL(account.host, account.port, ssl_context=_tls_context(), timeout=60)
    if account.security != MailAccount.Security.STARTTLS and account.host not in LOOPBACK:
        raise imaplib.IMAP4.error(
            _("an account without encryption may only connect to this machine (loopback)")
        )
    imap = imaplib.IMAP4(account.host, account.port, timeout=60)
    if account.security == MailAccount.Security.STARTTLS:
        try:
            if "STARTTLS" not in imap.capabilities:
                raise imaplib.IMAP4.error(
                    _("the server does not offer STARTTLS; the password was not sent")
                )
            imap.starttls(ssl_context=_tls_context())
        except BaseException:
            with contextlib.suppress(OSError):  # the failed handshake may have closed it
                imap.shutdown()
            raise
    return imap


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch_all() -> list[FetchReport]:
    """Fetch every active account; one account's unexpected failure never stops the others."""
    reports = []
    for account in MailAccount.objects.filter(active=True):
        try:
            reports.append(fetch_account(account))
        except Exception as error:
            log.exception("mail fetch %s failed", account.name)
            reports.append(FetchReport(account=str(account), error=f"{type(error).__name__}"))
    return reports


# --- WhatsApp -------------------------------------------------------------------------------


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


# --- codes of mails ---------------------------------------------------------------------


def visible_links(user, model=MailLink) -> Prefetch:
    """Prefetch the links (codes) of mails, or of chat messages with ChatLink, that `user`
    may see: a code of a customer hidden from them is never shown, not even as a badge."""
    return Prefetch("links", queryset=model.objects.visible_to(user))


# --- uploads in the background --------------------------------------------------------------


def upload_folder() -> Path:
    return Path(settings.DATA_DIR) / "mail-uploads"


def start_batch(files, user):
    """Keep uploaded files, then import them in the background; returns the ImportBatch."""
    import uuid

    from .models import ImportBatch
    from .tasks import import_batch

    folder = upload_folder() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for number, upload in enumerate(files):
        path = folder / f"{number:04d}-{parsing.safe_filename(upload.name, 'upload')}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        kept.append({"name": parsing.safe_filename(upload.name, "upload"), "path": str(path)})
    batch = ImportBatch.objects.create(user=user, files=kept)
    transaction.on_commit(lambda: import_batch.enqueue(batch.pk))
    return batch


def run_batch(batch_id: int) -> dict:
    from .models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])

    def progress(done: int, report: ImportReport) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(
            files_done=done,
            imported=report.imported,
            skipped=report.skipped,
            failures=report.failures,
        )

    paths = [f["path"] for f in batch.files]
    try:
        report = import_files(
            paths, owner=batch.user, user=batch.user, names=[f["name"] for f in batch.files],
            progress=progress,
        )  # fmt: skip
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.FAILED)
        raise
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
        if paths:
            with contextlib.suppress(OSError):
                Path(paths[0]).parent.rmdir()
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.DONE)
    return {"imported": report.imported, "skipped": report.skipped, "failed": report.failed}
