"""What the customer sheet derives from sales records (quotes, orders, complaints).

The contract between the customers app and the sales app: the customer sheet, list and API
call these functions and never count sales records themselves.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class CustomerFigures:
    quotes: int = 0  # number of quotations sent
    first_quotation: datetime.date | None = None  # "quotation time" of the sheet
    first_cooperation: datetime.date | None = None  # first confirmed order
    orders_per_year: dict[int, int] = field(default_factory=dict)  # year → confirmed orders
    order_value_12m: Decimal = Decimal(0)  # last 12 months, in settings.BASE_CURRENCY
    open_complaints: list = field(default_factory=list)  # Complaint objects still open
    has_orders: bool = False  # once true, the customer is archived instead of deleted


def customer_figures(customer) -> CustomerFigures:
    """The derived figures of one customer (no sales records yet: all zero or empty)."""
    return CustomerFigures()


def contribution_classes(customers) -> dict[int, str]:
    """A/B/C by share of the last 12 months' order value (Pareto), by customer id."""
    return {}
