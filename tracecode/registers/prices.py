"""A part's price history: every price it was quoted and ordered at, for its customer.

The registers keep no quotations or orders, so they do not read them: the app that holds
them (sales) provides the prices from its AppConfig.ready():

    prices.provide(part_prices, covers=("part_quote", "part_order"))

`covers` names the record-registry kinds whose rows the price history already shows, so the
part page does not list those lines twice. Until an app provides prices, a part has none.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tracecode.core.trade import format_money, format_price, format_quantity


@dataclass(frozen=True)
class PricePoint:
    """One price a part was quoted or ordered at."""

    QUOTED = "quoted"
    ORDERED = "ordered"

    kind: str  # QUOTED or ORDERED
    date: datetime.date
    code: str  # the quotation's or order's code
    url: str
    currency: str
    quantity: Decimal  # the quantity tier
    unit: str
    unit_price: Decimal
    state: str = ""  # the quotation's or order's status, in the reader's language
    state_key: str = ""
    firm: bool = True  # False for an order still in draft: not what the customer paid yet
    unit_label: str = ""  # the unit in the reader's language (`件`), else the unit itself

    @property
    def kind_label(self) -> str:
        return str(_("quoted") if self.kind == self.QUOTED else _("ordered"))

    @property
    def price_text(self) -> str:
        """`EUR 2.25`."""
        return f"{self.currency} {format_price(self.unit_price)}"

    @property
    def quantity_text(self) -> str:
        return f"{format_quantity(self.quantity)} {self.unit_name}"

    @property
    def unit_name(self) -> str:
        return self.unit_label or self.unit

    @property
    def amount_text(self) -> str:
        return format_money(self.quantity * self.unit_price, self.currency)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "date": self.date,
            "code": self.code,
            "url": self.url,
            "currency": self.currency,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price": self.unit_price,
            "state": str(self.state),
        }


_sources: list[Callable[..., Iterable[PricePoint]]] = []
_covered: set[str] = set()


def provide(source: Callable[..., Iterable[PricePoint]], covers: Iterable[str] = ()) -> None:
    """Add a source of prices: `source(part, user)` yields the PricePoints `user` may see."""
    if source not in _sources:
        _sources.append(source)
    _covered.update(covers)


def covered_kinds() -> set[str]:
    """The registered kinds whose rows the price history shows already."""
    return set(_covered)


def history(part, user) -> list[PricePoint]:
    """Every price of `part` that `user` may see, newest first (orders before quotations on
    the same day, larger quantities first)."""
    points = [point for source in _sources for point in source(part, user)]
    points.sort(key=lambda p: (p.date, p.kind == PricePoint.ORDERED, p.code, p.quantity))
    return points[::-1]


def last_paid(points: list[PricePoint]) -> PricePoint | None:
    """The latest price of a firm order: what the customer paid last time."""
    return next((p for p in points if p.kind == PricePoint.ORDERED and p.firm), None)


def last_quoted(points: list[PricePoint]) -> list[PricePoint]:
    """The tiers of the latest quotation."""
    latest = next((p for p in points if p.kind == PricePoint.QUOTED), None)
    if latest is None:
        return []
    return sorted(
        (p for p in points if p.kind == PricePoint.QUOTED and p.code == latest.code),
        key=lambda p: p.quantity,
    )
