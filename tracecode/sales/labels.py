"""The sales app's labels: a sample (or any) order, each carton of an order, a customer's lot.

Registered from SalesConfig.ready(); the label sheet itself is tracecode/labels.
"""

from django.utils.translation import gettext_lazy as _

from tracecode.labels import sources
from tracecode.labels.sources import Label, both_languages

from .models import MaterialLot, Order
from .trade import format_quantity

CARTON = "Carton 箱"
LOT = "Lot 批号"
IQC = {
    MaterialLot.Result.PENDING: "IQC pending 待检",
    MaterialLot.Result.PASSED: "IQC passed 合格",
    MaterialLot.Result.CONCESSION: "IQC concession 让步接收",
    MaterialLot.Result.REJECTED: "IQC rejected 不合格",
}


def _parts(order: Order) -> str:
    return ", ".join(dict.fromkeys(line.part_number for line in order.lines.all()))


def order_label(order: Order) -> Label:
    """The label of a sample bag or box: the order, its kind, what is in it."""
    lines = list(order.lines.all())
    contents = " · ".join(
        f"{line.part_number} {format_quantity(line.quantity)} {line.unit}" for line in lines
    )
    po = f"PO {order.customer_po}" if order.customer_po else ""
    return Label(
        code=order.code,
        title=order.project.name,
        mark=both_languages(Order.Kind(order.kind).label),
        description=" · ".join(part for part in (contents, po) if part),
    )


def carton_count(order: Order) -> int:
    """The cartons the order's lines are packed in, or 1 when none is given yet."""
    return sum(line.cartons or 0 for line in order.lines.all()) or 1


def carton_labels(order: Order, count: int) -> list[Label]:
    """One label per carton, `RK1038-1-M1 · Carton 3/20`; each names its line's part when the
    lines' cartons add up to `count`."""
    po = f"PO {order.customer_po} · " if order.customer_po else ""
    contents = [_parts(order)] * count
    lines = list(order.lines.all())
    if sum(line.cartons or 0 for line in lines) == count:
        contents = [
            f"{line.part_number} {line.specification}".strip()
            for line in lines
            for _carton in range(line.cartons or 0)
        ]
    return [
        Label(
            code=order.code,
            title=order.project.name,
            mark=f"{CARTON} {number}/{count}",
            description=po + contents[number - 1],
        )
        for number in range(1, count + 1)
    ]


def lot_label(lot: MaterialLot) -> Label:
    """A lot of customer-supplied material, under the processing order it was received for."""
    material = lot.bom_line
    facts = [
        material.description,
        f"{format_quantity(lot.quantity)} {material.unit}",
        f"{lot.received_on:%Y-%m-%d}",
        IQC.get(lot.result, lot.result),
    ]
    return Label(
        code=lot.order.code,
        title=material.part_number,
        mark=f"{LOT} {lot.lot_number}",
        description=" · ".join(fact for fact in facts if fact),
    )


def register() -> None:
    sources.register(
        sources.Source(
            "order",
            "order",
            _("Order label"),
            labels=sources.copies(order_label),
            count_label=_("Copies"),
        )
    )
    sources.register(
        sources.Source(
            "cartons",
            "order",
            _("Carton labels"),
            labels=carton_labels,
            count=carton_count,
            count_label=_("Cartons"),
        )
    )
    sources.register(
        sources.Source(
            "lot", "", _("Lot label"), labels=sources.copies(lot_label), model=MaterialLot,
            count_label=_("Copies"),
        )
    )  # fmt: skip
