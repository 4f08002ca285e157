"""Keeping the search index in step with the records: providers, signals and reindexing.

What the index holds for a record is declared with its kind in the record registry
(tracecode/codes/registry.py): `entries=` names a function yielding one dict per entry
(usually one; an order may also yield its PI, CI and PL). The search app subscribes to the
registry and indexes every kind that has entries (`index_kind`):

    kind      the registered kind's name, "order": the group it is shown in
    title     one line, the text of the link
    url       where the link goes
    code      the record's code, or "" (optional)
    text      everything else it is found by: names, emails, part numbers, the text
              extracted from an uploaded file … (optional)
    customer  the Customer (or its id) whose visibility it follows; None: administrators and
              managers only, unless the kind is under no customer (staff-wide, the registers)
    date      a date shown beside it (optional)
    parents   the codes above it, root first (optional: derived from `code` by the coding
              schemes when left out; kinds give `registry.lineage(record)`, which follows
              the records and so also works for codes that do not start from their parent's)
    codes     more codes to find it under (optional)

Besides its own code and its parents, an entry is found under every code of the schemes in
force that its title or text mentions ("see also RK1038-2-S1" in a mail body).

post_save and post_delete keep the index in step. Django sends them inside the caller's
transaction, so a record saved in `transaction.atomic()` (as `create_with_code` and the
apps' services do) commits with its entries or not at all: a rollback leaves no entry. A
record saved outside any transaction is committed first and indexed right after, in its own
statement. Bulk operations send no signals: call `index.write(obj)` for each object, or run
`tracecode search reindex`. When an entry is made of several models (an order and its lines),
`index.follow(OrderLine, lambda line: line.order)` re-indexes the order when a line changes.

Inside `with index.deferred():` (an import's chunk of rows) saves only note which records
changed; they are indexed once, together, when the block ends without an error, as a
reindex would: the same entries for a few statements per chunk instead of several per save.
"""

import datetime
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import backends, cjk, kinds
from .models import Entry, EntryCode

FIELDS = {"kind", "title", "url", "code", "text", "customer", "date", "parents", "codes"}
# A file's extracted text can be long: the index keeps its first 200,000 characters, which
# bounds what one entry costs the trigram index.
TEXT_LIMIT = 200_000
MENTIONS_LIMIT = 50  # codes found in one entry's text


@dataclass(frozen=True)
class Provider:
    model: type[Model]
    entries: Callable[[Model], Iterable[dict]]
    queryset: Callable | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def all(self):
        """The objects a reindex reads, with what `entries` needs prefetched."""
        return self.queryset() if self.queryset else self.model._default_manager.all()


_providers: dict[type[Model], Provider] = {}
# The records saved inside `deferred()`, by model: indexed when it ends.
_pending: ContextVar[dict[type[Model], set[int]] | None] = ContextVar(
    "tracecode_search_pending", default=None
)


def index_kind(kind) -> None:
    """Index a registered kind that has search entries (called by the registry)."""
    if kind.entries is not None:
        register(kind.model, kind.entries, kind.entries_queryset)


def register(model: type[Model], entries: Callable[[Model], Iterable[dict]], queryset=None):
    """Index `model`: `entries(obj)` yields its entry dicts; signals keep them in step."""
    provider = Provider(model, entries, queryset)
    _providers[model] = provider
    uid = f"tracecode.search:{provider.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid, weak=False)


def unregister(model: type[Model]) -> None:
    """Stop indexing `model` (its entries stay until the next reindex)."""
    provider = _providers.pop(model, None)
    if provider is not None:
        uid = f"tracecode.search:{provider.label}"
        post_save.disconnect(sender=model, dispatch_uid=uid)
        post_delete.disconnect(sender=model, dispatch_uid=uid)


def follow(model: type[Model], record_of: Callable[[Model], Model | None]) -> None:
    """Re-index `record_of(obj)` whenever an `obj` of `model` is saved or deleted.

    For the parts an entry is made of: `index.follow(OrderLine, lambda line: line.order)`
    keeps an order findable by the part numbers of its lines.
    """

    def changed(sender, instance, raw=False, **kwargs):
        record = None if raw else record_of(instance)
        if record is not None and _defer(record):
            return
        # Deleting a record deletes its parts first: then there is nothing left to index.
        if record is not None and type(record)._base_manager.filter(pk=record.pk).exists():
            write(record)

    uid = f"tracecode.search.follow:{model._meta.label_lower}"
    post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)


def providers() -> list[Provider]:
    return list(_providers.values())


def provider_for(label: str) -> Provider:
    for provider in _providers.values():
        if provider.label == label:
            return provider
    known = ", ".join(sorted(p.label for p in _providers.values()))
    raise LookupError(f"no search provider for {label!r} (known: {known})")


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load records before their relations: reindex after loaddata
        write(instance)


def _on_delete(sender, instance, **kwargs):
    remove(instance)


def write(obj: Model) -> None:
    """Make the index hold what `obj`'s provider yields now, in the current transaction
    (inside `deferred()`: when it ends)."""
    if not _defer(obj):
        write_many(_providers[type(obj)], [obj])


def remove(obj: Model) -> None:
    """Forget `obj`'s entries."""
    Entry.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk).delete()


def _defer(obj: Model) -> bool:
    pending = _pending.get()
    if pending is None or type(obj) not in _providers or obj.pk is None:
        return False
    pending.setdefault(type(obj), set()).add(obj.pk)
    return True


@contextmanager
def deferred(batch: int = 500):
    """Index the records saved inside once, in bulk, when the block ends without an error
    (an error leaves the index to the rollback of the caller's transaction). Nested blocks
    leave it to the outermost."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[type[Model], set[int]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for model, pks in pending.items():
        provider = _providers[model]
        ids = sorted(pks)
        for start in range(0, len(ids), batch):
            _write_ids(provider, ids[start : start + batch])


def _write_ids(provider: Provider, ids: list[int]) -> None:
    """Index the records `ids` as they are stored now; forget those that are gone."""
    found = list(provider.all().filter(pk__in=ids))
    missing = set(ids) - {obj.pk for obj in found}
    if missing:  # not in the provider's queryset: read as a save would have seen them
        found += list(provider.model._base_manager.filter(pk__in=missing))
        missing -= {obj.pk for obj in found}
    write_many(provider, found)
    if missing:
        Entry.objects.filter(object_type=provider.label, object_id__in=missing).delete()


def write_many(provider: Provider, objects: list[Model]) -> int:
    """Index `objects` of one provider's model; returns how many entries were written."""
    wanted = {obj.pk: list(provider.entries(obj)) for obj in objects}
    return _replace(provider.label, wanted)


def put(label: str, object_id: int, entries: Iterable[dict]) -> int:
    """Make the index hold `entries` for the record `label` ("sales.order") number `object_id`.

    For records a provider cannot reach through signals; returns how many were written.
    """
    return _replace(label, {object_id: list(entries)})


def _replace(label: str, wanted: dict[int, list[dict]]) -> int:
    """Replace the entries of each record in `wanted`; records whose entries did not change
    are left alone (a save that touches nothing searchable costs one read)."""
    from tracecode.codes.services import schemes_to_check_against

    known = schemes_to_check_against()  # reads only: indexing never installs schemes
    pairs = {pk: [_entry(label, pk, data, known) for data in datas] for pk, datas in wanted.items()}
    with transaction.atomic():
        existing = Entry.objects.filter(object_type=label, object_id__in=list(pairs))
        current: dict[int, list[tuple]] = {}
        for entry in existing.prefetch_related("codes").order_by("id"):
            codes = [c.code for c in sorted(entry.codes.all(), key=lambda c: c.pk)]
            current.setdefault(entry.object_id, []).append(_comparable(entry, codes))
        stale = [
            pk
            for pk, entries in pairs.items()
            if current.get(pk, []) != [_comparable(entry, codes) for entry, codes in entries]
        ]
        if not stale:
            return 0
        Entry.objects.filter(object_type=label, object_id__in=stale).delete()
        fresh = [pair for pk in stale for pair in pairs[pk]]
        created = Entry.objects.bulk_create([entry for entry, _codes in fresh])
        EntryCode.objects.bulk_create(
            EntryCode(entry=entry, code=code)
            for entry, (_same, codes) in zip(created, fresh, strict=True)
            for code in codes
        )
        return len(created)


def _comparable(entry: Entry, codes: list[str]) -> tuple:
    return (
        entry.kind, entry.code, entry.title, entry.text, entry.parents, entry.customer_id,
        entry.url, entry.date, codes,
    )  # fmt: skip


def _entry(label: str, pk: int, data: dict, known) -> tuple[Entry, list[str]]:
    """An unsaved Entry and the codes it is found under, from one entry dict."""
    unknown = set(data) - FIELDS
    missing = {"kind", "title", "url"} - set(data)
    if unknown or missing:
        raise ValueError(
            f"search entry of {label}: unknown keys {sorted(unknown)}, "
            f"missing keys {sorted(missing)}"
        )
    code = (data.get("code") or "").strip()[:40]
    parents = list(data["parents"]) if data.get("parents") is not None else _ancestors(code, known)
    customer = data.get("customer")
    date = data.get("date")
    if isinstance(date, datetime.datetime):  # the day it was where the company is
        date = timezone.localtime(date).date() if timezone.is_aware(date) else date.date()
    title = " ".join(str(data["title"]).split())[:300]
    text = str(data.get("text") or "")[:TEXT_LIMIT]
    entry = Entry(
        kind=data["kind"],
        position=kinds.position(data["kind"]),
        code=code,
        title=title,
        text=text,
        grams=cjk.grams(title, text),
        parents=" ".join(parents)[:300],
        customer_id=getattr(customer, "pk", customer),
        url=str(data["url"])[:300],
        date=date,
        object_type=label,
        object_id=pk,
    )
    mentioned = [found.code for found in known.find(f"{title}\n{text}")][:MENTIONS_LIMIT]
    codes = [c for c in [code, *parents, *data.get("codes", ()), *mentioned] if c]
    return entry, list(dict.fromkeys(c[:40] for c in codes))


def _ancestors(code: str, known) -> list[str]:
    """The codes above `code` by the schemes in force, root first ([] if it is none)."""
    from tracecode.codes import core

    chain = []
    while code:
        try:
            code = known.parse(code).parent or ""
        except core.ParseError:
            break
        if code:
            chain.append(code)
    return chain[::-1]


def reindex(labels: list[str] | None = None, batch: int = 500, progress=None) -> int:
    """Rebuild the entries of every provider (or of `labels`), batch by batch.

    Each batch is its own transaction, so searches keep working meanwhile. Entries of records
    that no longer exist, or of models no provider indexes any more, are removed. Returns the
    number of entries written.
    """
    chosen = [provider_for(label) for label in labels] if labels else providers()
    written = 0
    for provider in chosen:
        objects = provider.all().order_by("pk")
        total, done, last = objects.count(), 0, None
        while True:
            page = objects if last is None else objects.filter(pk__gt=last)
            chunk = list(page[:batch])
            if not chunk:
                break
            written += write_many(provider, chunk)
            done, last = done + len(chunk), chunk[-1].pk
            if progress:
                progress(provider.label, done, total)
        gone = Entry.objects.filter(object_type=provider.label).exclude(
            object_id__in=provider.model._base_manager.values("pk")
        )
        gone.delete()
    if not labels:
        Entry.objects.exclude(object_type__in=[p.label for p in providers()]).delete()
    backends.current().optimize()
    return written
