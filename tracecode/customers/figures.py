"""What the customer sheet, list and API derive from other apps' records: quotes, orders per
year, the value of the last 12 months, open complaints, A/B/C classes.

The customers app keeps no sales records, so it does not count them: the app that holds them
(sales) provides the figures from its AppConfig.ready():

    figures.provide(customer_figures, contribution_classes, order_values)

Until one does, a customer has no figures (zeros, no class). The figures every list shows
(value, class, last contact) are kept on the customer by customers/standing.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class CustomerFigures:
    quotes: int = 0  # number of quotations sent
    first_quotation: datetime.date | None = None  # "quotation time" of the sheet
    first_cooperation: datetime.date | None = None  # first confirmed order
    orders_per_year: dict[int, int] = field(default_factory=dict)  # year → confirmed orders
    order_value_12m: Decimal = Decimal(0)  # last 12 months, in settings.BASE_CURRENCY
    open_complaints: list = field(default_factory=list)  # complaints still open
    has_orders: bool = False  # once true, the customer is archived instead of deleted


_figures: Callable | None = None
_classes: Callable | None = None
_values: Callable | None = None


def provide(figures: Callable, classes: Callable, values: Callable | None = None) -> None:
    """Name the functions giving one customer's figures, the A/B/C classes of customers and
    the order values the classes are ranked by."""
    global _figures, _classes, _values
    _figures, _classes, _values = figures, classes, values


def customer_figures(customer, today: datetime.date | None = None) -> CustomerFigures:
    return _figures(customer, today) if _figures else CustomerFigures()


def contribution_classes(customers, today: datetime.date | None = None) -> dict[int, str]:
    """A/B/C by share of the last 12 months' order value, by customer id ({} without sales)."""
    return _classes(customers, today) if _classes else {}


def order_values(customer_ids, today: datetime.date) -> dict[int, tuple[Decimal, int, dict]]:
    """Customer id → (order value of the last 12 months, confirmed orders, confirmed orders
    per year {"2025": 3}), for the customers among `customer_ids` (None: all) that have
    confirmed orders ({} without sales)."""
    return _values(customer_ids, today) if _values else {}


_balances: Callable | None = None


def provide_balances(balances: Callable) -> None:
    """Name the function giving customers' balances (the payments app holds the credit)."""
    global _balances
    _balances = balances


def balances(customer_ids) -> dict[int, dict[str, tuple[Decimal, Decimal]]]:
    """Customer id → {currency: (what its confirmed orders owe, its credit)}, for the
    customers among `customer_ids` (None: all) that owe or hold credit ({} without payments)."""
    return _balances(customer_ids) if _balances else {}
