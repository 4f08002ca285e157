"""Everything about one number: the record it names, where it sits, and all below it.

    RK1038 Acme Ltd                       the chain above the record asked for (rows only)
      RK1038-1 SP1003
        RK1038-1-S1 sample order          the record asked for, with every group below it:
          Complaints, Documents, Payments,  coded kinds (their own subtrees) and what is
          Files, Mails, Chat messages …     filed under its code, newest first

Every kind comes from the record registry; nothing here knows orders from mails. Each group
shows its first `PAGE` rows and its total; the rest are read a page at a time (`page()`).
The whole tree costs a fixed number of queries, whatever it holds: one per coded kind and
level, and two per filed kind. What the user may not see is not there (404 for the record
itself).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Model, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from tracecode.codes import registry
from tracecode.codes.registry import Filed, Kind, Row

PAGE = 10  # rows of a group shown at first
MAX_PAGE = 100


@dataclass
class Group:
    kind: Kind | Filed
    under: str  # the code of the record it is below
    total: int
    nodes: list["Node"] = field(default_factory=list)  # a coded kind's records
    rows: list[Row] = field(default_factory=list)  # a filed kind's items
    offset: int = 0

    @property
    def page_size(self) -> int:
        return PAGE

    @property
    def shown(self) -> int:
        return self.offset + len(self.nodes) + len(self.rows)

    @property
    def more(self) -> bool:
        return self.total > self.shown

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.name,
            "label": str(self.kind.label),
            "under": self.under,
            "total": self.total,
            "offset": self.offset,
            "items": [n.as_dict() for n in self.nodes]
            or [{"kind": self.kind.name, **r.as_dict()} for r in self.rows],
            "more": self.more,
        }


@dataclass
class Node:
    kind: Kind
    record: Model
    row: Row
    groups: list[Group] = field(default_factory=list)

    @property
    def code(self) -> str:
        return getattr(self.record, self.kind.code_field)

    @property
    def noun(self) -> str:
        """What the record is, in the reader's language: "order", "customer"."""
        return str(self.kind.model._meta.verbose_name)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind.name,
            **self.row.as_dict(),
            "code": self.code,
            "groups": [g.as_dict() for g in self.groups],
        }


@dataclass
class Tree:
    code: str  # as asked
    focus: Node  # the record the code names, with everything below it
    above: list[Node]  # the records above it, root first

    @property
    def root(self) -> Node:
        return self.above[0] if self.above else self.focus

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "found_as": self.focus.kind.name,
            "above": [{"kind": n.kind.name, **n.row.as_dict(), "code": n.code} for n in self.above],
            "record": self.focus.as_dict(),
        }


def _node(kind: Kind, record) -> Node:
    row = kind.row(record) if kind.row else Row(title=str(record))
    return Node(kind, record, row)


def everything(code: str, user, page: int = PAGE) -> Tree:
    """The tree of `code` as `user` may see it; Http404 when the code names nothing they see."""
    found = registry.find(code, user)
    if found is None:
        raise Http404
    chain = registry.chain(found)
    focus = _node(found.kind, found.record)
    _expand([focus], user, page)
    return Tree(code, focus, [_node(link.kind, link.record) for link in chain[:-1]])


def _newest_first(kind) -> list:
    return [F(kind.date).desc(nulls_last=True), F("pk").desc()] if kind.date else [F("pk").desc()]


def _expand(level: list[Node], user, page: int) -> None:
    """Give each node its groups: coded kinds below it, level by level, then filed items."""
    every = []
    while level:
        every += level
        below = []
        for name in dict.fromkeys(node.kind.name for node in level):
            parents = {node.record.pk: node for node in level if node.kind.name == name}
            for child in registry.children_of(name):
                for parent_pk, group in _children(child, parents, user, page).items():
                    parents[parent_pk].groups.append(group)
                    below += group.nodes
        level = below
    _filed(every, user, page)
    for node in every:
        node.groups.sort(key=lambda group: group.kind.position)


def _children(child: Kind, parents: dict, user, page: int) -> dict[int, Group]:
    rows = child.visible(user).filter(**{f"{child.via}__in": list(parents)})
    counts = dict(
        rows.order_by().values(child.via).annotate(n=Count("pk")).values_list(child.via, "n")
    )
    if not counts:
        return {}
    ranked = rows.annotate(
        _n=Window(RowNumber(), partition_by=F(child.via), order_by=_newest_first(child))
    ).filter(_n__lte=page)
    groups = {pk: Group(child, parents[pk].code, total) for pk, total in counts.items() if total}
    for record in ranked.order_by(*_newest_first(child)):
        groups[getattr(record, f"{child.via}_id")].nodes.append(_node(child, record))
    return groups


def _filed(nodes: list[Node], user, page: int) -> None:
    by_code: dict[str, Node] = {}
    for node in nodes:  # a first complaint carries its order's code: the order keeps the items
        by_code.setdefault(node.code, node)
    coded = {kind.model._meta.concrete_model for kind in registry.kinds()}
    for filed in registry.filed_kinds():
        if filed.row is None:
            continue
        codes = list(by_code)
        target = _code_model(filed)
        if target in coded:  # filed under a coded kind's own codes: only its nodes can match
            codes = [c for c, n in by_code.items() if n.kind.model._meta.concrete_model is target]
            if not codes:  # (a customer's tree holds no part: its order lines are not read)
                continue
        rows = _under(filed, user, codes)
        counts = dict(rows.order_by().values_list("_under").annotate(n=Count("pk", distinct=True)))
        if not counts:
            continue
        groups = {code: Group(filed, code, total) for code, total in counts.items()}
        ranked = rows.annotate(
            _n=Window(RowNumber(), partition_by=F("_under"), order_by=_newest_first(filed))
        ).filter(_n__lte=page)
        for item in ranked.order_by(*_newest_first(filed)):
            groups[item._under].rows.append(filed.row(item))
        for code, group in groups.items():
            by_code[code].groups.append(group)


def _code_model(filed: Filed):
    """The model whose code field `filed.code_path` ends on (a part's code: the part)."""
    model = filed.model
    for name in filed.code_path.split("__")[:-1]:
        model = model._meta.get_field(name).related_model
    return model._meta.concrete_model


def _under(filed: Filed, user, codes: list[str]):
    """The items of `filed` under `codes`, once per code they are filed under (`_under`)."""
    return filed.visible(user).annotate(_under=F(filed.code_path)).filter(_under__in=codes)


def page(code: str, kind_name: str, user, offset: int = 0, limit: int = PAGE) -> Group:
    """Rows `offset`… of one group: the records of `kind_name` below `code`, or its items."""
    found = registry.find(code, user)
    try:
        kind = registry.kind(kind_name)
    except LookupError:
        raise Http404 from None
    if found is None:
        raise Http404
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    if isinstance(kind, Kind):
        if kind.parent != found.kind.name:
            raise Http404
        rows = kind.visible(user).filter(**{kind.via: found.record}).order_by(*_newest_first(kind))
        total = rows.count()
        nodes = [_node(kind, record) for record in rows[offset : offset + limit]]
        return Group(kind, found.code, total, nodes=nodes, offset=offset)
    rows = _under(kind, user, [found.code]).order_by(*_newest_first(kind))
    total = rows.count()
    items = [kind.row(item) for item in rows[offset : offset + limit]] if kind.row else []
    return Group(kind, found.code, total, rows=items, offset=offset)


# --- timeline -------------------------------------------------------------------------------


@dataclass
class Moment:
    kind: Kind | Filed
    date: datetime.datetime
    item: Model

    @property
    def row(self) -> Row | None:
        """The item as a row, for kinds whose timeline template shows rows."""
        return self.kind.row(self.item) if self.kind.row else None


def _moment(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
    return timezone.make_aware(datetime.datetime.min.replace(year=1900))


def timeline(code: str, user, limit: int = 200) -> list[Moment]:
    """What kinds with a timeline hold under `code` and every code below it, oldest first."""
    code = registry.normalise(code)
    if not registry.visible_codes(user, [code]):
        return []
    codes = registry.codes_below(code)
    moments: list[Moment] = []
    for kind in registry.every_kind():
        if not kind.timeline or not kind.date:
            continue
        if isinstance(kind, Filed):
            ids = registry.filed_under(kind, codes).values("pk")
            rows = kind.visible(user).filter(pk__in=ids)
        else:
            rows = kind.visible(user).filter(**{f"{kind.code_field}__in": codes})
        for item in rows.order_by(*_newest_first(kind))[:limit]:
            moments.append(Moment(kind, _moment(getattr(item, kind.date)), item))
    moments.sort(key=lambda m: (m.date, m.kind.position, m.item.pk))
    return moments[-limit:]
