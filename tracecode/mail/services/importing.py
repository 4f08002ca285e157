"""Importing mail: .eml and mbox files and raw messages, parsed, filed and stored in chunks."""

import contextlib
import datetime
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.customers.standing import refresh_contacts

from .. import parsing
from ..models import (
    How,
    MailAccount,
    MailAttachment,
    MailLink,
    MailMessage,
    MailReference,
)
from .codes import linkable_codes, linkable_customers
from .linking import WEAK, Link, file_attachments, links_for, relink_replies, thread_links
from .storage import _clean, _save, folder_for, mail_file_name

log = logging.getLogger(__name__)

ATTACHMENT_TEXT_LIMIT = 100_000
ATTACHMENT_READ_LIMIT = 20_000_000  # larger attachments are kept but not read for search


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
        refresh_contacts({x.customer_id for x in links})


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
        file_attachments(pending.mail)
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
        if pending.links and pending.attachments:
            file_attachments(pending.mail)
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
        if not parsing.looks_like_mail(raw):  # an empty file, a PDF renamed .eml …
            report.failures.append(f"{where}: " + _("not a mail: no message headers"))
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
