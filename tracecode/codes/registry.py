"""One registry of what a number can name, and of what is filed under numbers.

"What belongs to RK1038-1?" is answered here and nowhere else. Each app registers its kinds
once, from its `AppConfig.ready()`:

    registry.register(registry.Kind(
        "order", Order, _("Orders"),
        parent="project",             # the kind above, reached through the field `project`
        position=40,                  # where its group stands in search and on pages
        row=order_row,                # how one order shows in the Everything tree
        entries=order_entries,        # what the search index holds for it (search/index.py)
    ))
    registry.register(registry.Filed(
        "mail", MailMessage, _("Mails"),
        code_path="links__code",      # the code(s) an item is filed under
        date="date", position=80, row=mail_row, timeline="mail/_timeline_mail.html",
        contact="date", entries=mail_entries, files=mail_files,
    ))

A `Kind` is a record with a code of its own (customer, contact, project, quotation, order,
complaint …); a `Filed` kind has none and is filed under one (files, mails, chat messages,
payments, documents, log entries). Both name the path to their customer in the model's
`customer_path`, so visibility is the one mechanism of accounts/visibility.py.

The API, for any code: `find()` (the record and its kind), `customer_of()`, `lineage()`
(the codes above it), `codes_below()` (every code under it, of any kind), `visible_codes()`
(which of a list of codes a user may know about); for pages: `kinds()`,
`filed_kinds()`, `children_of()`, and the tree, timeline and search built on them walk these
and keep no list of their own.
"""

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model, Value

from .models import CodeEntry

ROOT = "customer"  # the kind every visible record leads up to


@dataclass
class Row:
    """One record or item as a line of a page: the Everything tree, a timeline, a list."""

    title: str
    url: str = ""
    code: str = ""
    date: datetime.date | datetime.datetime | None = None
    state: str = ""  # shown as a badge, in the reader's language
    state_key: str = ""  # the raw state, for its colour
    details: list[str] = field(default_factory=list)  # short facts: "USD 1,200.00", "v2"
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url): PDF, Excel …
    badge: str = ""  # a short label before the title: "PI", "payment"
    warning: str = ""  # something to act on: "payment overdue"

    def as_dict(self) -> dict:
        return {
            "title": str(self.title),
            "url": self.url,
            "code": self.code,
            "date": self.date,
            "state": str(self.state),
            "state_key": self.state_key,
            "details": [str(d) for d in self.details],
            "links": [{"label": str(label), "url": url} for label, url in self.links],
            "badge": str(self.badge),
            "warning": str(self.warning),
        }


@dataclass(frozen=True)
class _Registered:
    name: str
    model: type[Model]
    label: str  # the group's heading: "Orders"
    position: int  # where its group stands: search results, the Everything page
    row: Callable[[Model], Row] | None = None
    entries: Callable[[Model], Iterable[dict]] | None = None  # search entries
    entries_queryset: Callable | None = None  # what a reindex reads, prefetched
    files: Callable[[Model], Iterable[str]] | None = None  # stored names, by customer
    timeline: str | None = None  # the template of one timeline item ({{ item }})
    actions: str | None = None  # a template of buttons beside a timeline's heading ({{ code }})
    date: str = ""  # the field that dates it (timeline, newest first on pages)
    short_query: bool = False  # 1–2 character queries look at its titles
    # A search entry's stored title as the reader reads it: the words it stores in English
    # (an order's kind) in the reader's language.
    search_title: Callable[[str], str] | None = None
    related: tuple[str, ...] = ()  # select_related for rows
    prefetch: tuple[str, ...] = ()  # prefetch_related for rows
    # What rows read that depends on who looks: (rows, user) → rows, e.g. a prefetch of only
    # the links (codes) the user may see.
    for_user: Callable | None = None

    @property
    def label_lower(self) -> str:
        return self.model._meta.label_lower

    @property
    def customer_path(self) -> str | None:
        return getattr(self.model, "customer_path", None)

    def queryset(self):
        """All rows, with what `row` reads joined or prefetched."""
        rows = self.model._default_manager.all()
        rows = rows.select_related(*self.related) if self.related else rows
        return rows.prefetch_related(*self.prefetch) if self.prefetch else rows

    def visible(self, user):
        """The rows of this kind `user` may see (the model's one visibility mechanism)."""
        rows = self.queryset().visible_to(user)
        return self.for_user(rows, user) if self.for_user else rows


@dataclass(frozen=True)
class Kind(_Registered):
    """A record with a code of its own."""

    parent: str | None = None  # the kind above it
    parent_field: str | None = None  # the field reaching the parent record (default: `parent`)
    code_field: str = "code"
    # The name beside its code in its own folder (`RK1038 Acme Ltd`; "" for the code alone);
    # None: it files in its parent's folder. See files/folders.py.
    folder: Callable[[Model], str] | None = None

    @property
    def via(self) -> str | None:
        return self.parent_field or self.parent


@dataclass(frozen=True)
class Filed(_Registered):
    """Something without a code of its own, filed under one or more codes."""

    code_path: str = "code"  # from the item to the code(s) it is filed under
    contact: str = ""  # its date field, when it counts as contact with the customer
    direction: str = ""  # its field saying "in" (from the customer) or "out" (to them)


_kinds: dict[str, Kind] = {}
_filed: dict[str, Filed] = {}
_listeners: list[Callable[[_Registered], None]] = []


def register(kind: Kind | Filed) -> None:
    """Add a kind; registering the same name again replaces it (tests, reloads)."""
    if isinstance(kind, Kind):
        if kind.parent is None and kind.name != ROOT and kind.customer_path not in (None, ""):
            raise ValueError(f"kind {kind.name!r} reaches a customer but names no parent kind")
        _kinds[kind.name] = kind
    else:
        _filed[kind.name] = kind
    for listener in _listeners:
        listener(kind)


def unregister(name: str) -> None:
    _kinds.pop(name, None)
    _filed.pop(name, None)


def subscribe(listener: Callable[[_Registered], None]) -> None:
    """Call `listener` with every kind registered so far and every one registered later."""
    _listeners.append(listener)
    for kind in [*_kinds.values(), *_filed.values()]:
        listener(kind)


def kinds() -> list[Kind]:
    """The coded kinds, in the order of their groups."""
    return sorted(_kinds.values(), key=lambda k: k.position)


def filed_kinds() -> list[Filed]:
    return sorted(_filed.values(), key=lambda k: k.position)


def every_kind() -> list[_Registered]:
    return sorted([*_kinds.values(), *_filed.values()], key=lambda k: k.position)


def kind(name: str) -> Kind | Filed:
    found = _kinds.get(name) or _filed.get(name)
    if found is None:
        raise LookupError(f"no registered kind {name!r} (known: {', '.join(sorted(_names()))})")
    return found


def _names() -> set[str]:
    return {*_kinds, *_filed}


def kind_of_model(model: type[Model]) -> Kind | Filed | None:
    for each in every_kind():
        if each.model is model:
            return each
    return None


def contact_kinds() -> list[Filed]:
    """The filed kinds that count as contact with the customer (mails, chats, the log …)."""
    return [k for k in filed_kinds() if k.contact]


def children_of(name: str) -> list[Kind]:
    """The coded kinds directly below the kind `name`."""
    return [k for k in kinds() if k.parent == name]


# --- codes ----------------------------------------------------------------------------------


# What a Chinese input method types for the punctuation of codes that NFKC does not fold:
# "。" for "." (material codes such as 01.01.00001).
IME_PUNCTUATION = str.maketrans({"。": "."})


def normalise(code: str) -> str:
    """A code as typed, scanned or pasted, made comparable: full-width and IME forms folded
    (ＲＫ１０３８ → RK1038), surrounding space and invisible characters removed."""
    text = unicodedata.normalize("NFKC", str(code or "")).translate(IME_PUNCTUATION)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    return text.strip()


def spellings(code: str) -> list[str]:
    """The forms a code is looked up under: as typed, then upper case (codes match in any
    letter case)."""
    code = normalise(code)
    return list(dict.fromkeys([code, code.upper()])) if code else []


@dataclass(frozen=True)
class Found:
    kind: Kind
    record: Model

    @property
    def code(self) -> str:
        return getattr(self.record, self.kind.code_field)


def find(code: str, user=None) -> Found | None:
    """The record a code names (any letter case), or None; with `user`, only if they may see it.

    One statement first asks which kinds hold a row under any of the code's spellings, so that
    only those are read (with the user's visibility): a code nobody has costs one statement,
    one the user may not see one more for each kind holding it, not one per kind and spelling."""
    forms = spellings(code)
    holding = _kinds_holding(forms)
    for spelling in forms:
        # Which kind comes first matters only where two kinds hold the code.
        candidates = _candidate_kinds(spelling) if len(holding) > 1 else kinds()
        for candidate in candidates:
            if spelling not in holding.get(candidate.name, ()):
                continue
            rows = candidate.visible(user) if user is not None else candidate.queryset()
            record = rows.filter(**{candidate.code_field: spelling}).first()
            if record is not None:
                return Found(candidate, record)
    return None


def _kinds_holding(forms: list[str]) -> dict[str, set[str]]:
    """Kind name → which of `forms` it holds a row under (one UNION statement)."""
    every = kinds()
    if not forms or not every:
        return {}
    asked = [
        k.model._default_manager.filter(**{f"{k.code_field}__in": forms})
        .annotate(_kind=Value(n))
        .order_by()
        .values_list("_kind", k.code_field)
        for n, k in enumerate(every)
    ]
    rows = asked[0].union(*asked[1:], all=True) if len(asked) > 1 else asked[0]
    holding: dict[str, set[str]] = {}
    for n, held in rows.order_by():  # not the first model's ordering
        # A column compared without regard to case would give the code as stored.
        holding.setdefault(every[n].name, set()).update([held] if held in forms else forms)
    return holding


def _candidate_kinds(code: str) -> list[Kind]:
    """Kinds to ask for `code`: the one the code registry names first, then the others."""
    record_type = (
        CodeEntry.objects.filter(code=code).values_list("record_type", flat=True).first() or ""
    )
    named = [k for k in kinds() if k.label_lower == record_type]
    return [*named, *(k for k in kinds() if k not in named)]


def parent_of(found: Found) -> Found | None:
    """The record above, through the kind's parent field."""
    if found.kind.parent is None:
        return None
    record = getattr(found.record, found.kind.via)
    return Found(kind(found.kind.parent), record) if record is not None else None


def chain(found: Found) -> list[Found]:
    """`found` and every record above it, root first."""
    links = [found]
    while (above := parent_of(links[0])) is not None:
        links.insert(0, above)
    return links


def lineage(record: Model) -> list[str]:
    """The codes above a record of a registered kind, root first (its own not included)."""
    own = kind_of_model(type(record))
    if not isinstance(own, Kind):
        return []
    return [f.code for f in chain(Found(own, record))[:-1]]


def lineage_of_code(code: str) -> list[str]:
    """`code`'s ancestors and itself, root first, through records or the code registry."""
    found = find(code)
    if found is not None:
        return [f.code for f in chain(found)]
    entry = CodeEntry.objects.filter(code__in=spellings(code)).first()
    if entry is None:
        return []
    above = lineage_of_code(entry.parent_code) if entry.parent_code else []
    return [*above, entry.code]


def customer_of(code: str):
    """The customer record a code belongs to (itself for a customer code), or None."""
    found = found_or_ancestor(code)
    if found is None:
        return None
    root = chain(found)[0]
    return root.record if root.kind.name == ROOT else None


def found_or_ancestor(code: str, depth: int = 0) -> Found | None:
    """The record `code` names, else the nearest registered ancestor's (a legacy code)."""
    found = find(code)
    if found is not None or depth > 20:
        return found
    parent = (
        CodeEntry.objects.filter(code__in=spellings(code))
        .values_list("parent_code", flat=True)
        .first()
    )
    return found_or_ancestor(parent, depth + 1) if parent else None


def codes_below(code: str) -> set[str]:
    """`code` and every code under it: its records' codes, of any kind, and registered codes."""
    found = find(code)
    codes = {found.code if found else normalise(code)}
    if found is not None:
        level = {found.kind.name: [found.record.pk]}
        while level:
            below: dict[str, list] = {}
            for name, pks in level.items():
                for child in children_of(name):
                    rows = child.model._base_manager.filter(**{f"{child.via}__in": pks})
                    for pk, child_code in rows.values_list("pk", child.code_field):
                        below.setdefault(child.name, []).append(pk)
                        codes.add(child_code)
            level = below
    step = list(codes)
    while step:  # codes registered without a record of their own (legacy imports)
        step = list(
            CodeEntry.objects.filter(parent_code__in=step)
            .exclude(code__in=codes)
            .values_list("code", flat=True)
        )
        codes.update(step)
    return codes


def visible_codes(user, codes: Iterable[str]) -> set[str]:
    """Those of `codes` whose record (or nearest registered ancestor's) `user` may see.

    A code the user may not know about is treated exactly like an unregistered one.
    """
    codes = {c for c in codes if c}
    if not codes or user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.sees_everything:
        return codes
    visible: set[str] = set()
    remaining = set(codes)
    types = dict(CodeEntry.objects.filter(code__in=codes).values_list("code", "record_type"))
    for each in kinds():  # one query per kind the codes belong to
        mine = {c for c in remaining if types.get(c) in ("", None, each.label_lower)}
        if not mine:
            continue
        seen = set(
            each.visible(user)
            .filter(**{f"{each.code_field}__in": mine})
            .values_list(each.code_field, flat=True)
        )
        exists = seen | set(
            each.model._base_manager.filter(**{f"{each.code_field}__in": mine - seen}).values_list(
                each.code_field, flat=True
            )
        )
        visible |= seen
        remaining -= exists
    for code in remaining:  # no record: a legacy code follows its nearest recorded ancestor
        ancestor = found_or_ancestor(code)
        if (
            ancestor is not None
            and ancestor.kind.visible(user).filter(pk=ancestor.record.pk).exists()
        ):
            visible.add(code)
    return visible


def filed_under(filed: Filed, codes: Iterable[str], user=None):
    """The items of `filed` filed under any of `codes` (that `user` may see, when given)."""
    rows = filed.visible(user) if user is not None else filed.queryset()
    return rows.filter(**{f"{filed.code_path}__in": list(codes)})
