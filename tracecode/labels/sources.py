"""What a label can be printed for: a small registry of label sources, keyed by kind.

Each app registers the labels of its own records from its `AppConfig.ready()`:

    sources.register(sources.Source(
        "cartons", "order", _("Carton labels"),
        labels=carton_labels,     # (order, count) → [Label("RK1038-1-M1", mark="carton 3/20") …]
        count=carton_count,       # the number of cartons to offer; asks for one when given
    ))

`kind` is the registered kind (tracecode/codes/registry.py) of the record it prints for: a
coded kind is found by its code (`/labels/cartons/RK1038-1-M1/`), a filed one by its id
(`/labels/file/42/`); `model` names a model of no registered kind, found by id (a lot).
Pages, the Everything page and the API walk `for_record()` and `every_source()`, so a new
kind's label is one registration.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.http import Http404

from tracecode.accounts.visibility import visible_or_404
from tracecode.codes import registry

MAX_COUNT = 500  # labels one printing makes at most: a pallet of cartons, not a runaway form


@dataclass(frozen=True)
class Label:
    """One label: the code in large type, in the barcode and behind the QR (`/go/<code>`)."""

    code: str
    title: str = ""  # the customer's part name: "SP1003"
    description: str = ""  # one line: "Sample order · 50 pcs · ZAMAK 5 die-cast"
    mark: str = ""  # beside the code: "carton 3/20", "lot SZ-2611-0042", "v2"


@dataclass(frozen=True)
class Source:
    name: str  # in the address: /labels/<name>/<key>/
    kind: str  # the registered kind of the record it prints for ("" with `model`)
    title: str  # "Carton labels"
    labels: Callable[[Model, int], list[Label]]  # the record and how many (cartons, copies)
    count: Callable[[Model], int] | None = None  # asks "how many?", offering this many
    count_label: str = ""  # what is counted: "cartons"
    model: type[Model] | None = None  # a model of no registered kind, found by its id
    applies: Callable[[Model], bool] | None = None  # only for some records of the kind

    def find(self, key: str, user) -> Model:
        """The record `key` names if `user` may see it, else Http404 (unknown and hidden alike)."""
        if self.model is not None:
            return _by_id(self.model._default_manager.all(), key, user)
        kind = registry.kind(self.kind)
        if isinstance(kind, registry.Filed):
            return _by_id(kind.queryset(), key, user)
        found = registry.find(key, user)
        if found is None or found.kind.name != self.kind:
            raise Http404
        return found.record

    def key(self, record: Model) -> str:
        """What names `record` in an address: its code, or its id."""
        if self.model is None and isinstance(registry.kind(self.kind), registry.Kind):
            return getattr(record, registry.kind(self.kind).code_field)
        return str(record.pk)

    def fits(self, record: Model) -> bool:
        return self.applies is None or bool(self.applies(record))


def _by_id(queryset, key: str, user) -> Model:
    if not str(key).isdigit():
        raise Http404
    return visible_or_404(queryset, user, pk=int(key))


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add a label source; registering the same name again replaces it (tests, reloads)."""
    _sources[source.name] = source


def unregister(name: str) -> None:
    _sources.pop(name, None)


def source(name: str) -> Source:
    """The source called `name`, or Http404."""
    if name not in _sources:
        raise Http404
    return _sources[name]


def every_source() -> list[Source]:
    return list(_sources.values())


def for_record(record: Model) -> list[Source]:
    """The sources that print labels for `record`, in the order they were registered."""
    kind = registry.kind_of_model(type(record))
    return [
        s
        for s in _sources.values()
        if (s.model is type(record) or (s.model is None and kind and s.kind == kind.name))
        and s.fits(record)
    ]


def both_languages(text) -> str:
    """A lazy translation in English and Chinese, as labels print it: "Sample order 样品订单"."""
    from django.utils import translation
    from django.utils.text import capfirst

    with translation.override("en"):
        english = capfirst(str(text))
    with translation.override("zh-hans"):
        chinese = str(text)
    return english if chinese == english else f"{english} {chinese}"


def copies(make: Callable[[Model], Label]) -> Callable[[Model, int], list[Label]]:
    """`labels` for a source of one label per record: that label, `count` times."""
    return lambda record, count: [make(record)] * count
