"""What the customer sheet derives from sales records (quotes, orders, complaints).

The contract between the customers app and the sales app: the customer sheet, list and API
call these functions and never count sales records themselves.

Definitions:
- a quote is a quotation sent to the customer (issued at least once; drafts do not count);
  the first quotation is the earliest date of those;
- the first cooperation is the earliest confirmation date of an order that was confirmed
  and not cancelled (sample orders count: "order or sample confirmed");
- orders per year count those confirmed orders by the year of their confirmation;
- the order value of the last 12 months sums the totals of those orders confirmed in the
  last 12 months, converted to settings.BASE_CURRENCY with settings.EXCHANGE_RATES.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Min, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from tracecode.customers.figures import CustomerFigures

from .trade import a_year_before, exchange_rate, money


def _confirmed_orders():
    from .models import Order, OrderState

    return Order.objects.exclude(confirmed_on=None).exclude(state=OrderState.CANCELLED)


def _in_base_currency(total, currency: str) -> Decimal | None:
    rate = exchange_rate(currency, settings.BASE_CURRENCY, settings.EXCHANGE_RATES)
    return None if rate is None else total * rate


def _values_12m(orders, today: datetime.date) -> dict[int, Decimal]:
    """Order value of the last 12 months per customer id, in the base currency.

    The database adds up per customer and currency; those few sums are converted here. An
    order in a currency without a configured exchange rate is left out (it cannot be added
    up honestly); configure TRACECODE_EXCHANGE_RATES to count it.
    """
    since = a_year_before(today)
    rows = (
        orders.filter(confirmed_on__gt=since, confirmed_on__lte=today)
        .values_list("project__customer_id", "currency")
        .annotate(value=Sum("total"))
        .order_by()
    )
    values: dict[int, Decimal] = defaultdict(Decimal)
    for customer_id, currency, total in rows:
        converted = _in_base_currency(Decimal(total), currency)
        if converted is not None:
            values[customer_id] += converted
    return values


def order_values(customer_ids, today: datetime.date) -> dict[int, tuple[Decimal, int, dict]]:
    """Customer id → (order value of the last 12 months in the base currency, confirmed
    orders, confirmed orders per year {"2025": 3}) for the customers among `customer_ids`
    (None: all) with confirmed orders."""
    confirmed = _confirmed_orders()
    if customer_ids is not None:
        confirmed = confirmed.filter(project__customer_id__in=customer_ids)
    per_year: dict[int, dict[str, int]] = defaultdict(dict)
    years = (
        confirmed.values_list("project__customer_id", ExtractYear("confirmed_on"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, year, n in years:
        per_year[pk][str(year)] = n
    values = _values_12m(confirmed, today)
    found = {}
    for pk, counted in per_year.items():
        value = money(values.get(pk, Decimal(0)))
        found[pk] = (value, sum(counted.values()), dict(sorted(counted.items())))
    return found


def customer_figures(customer, today: datetime.date | None = None) -> CustomerFigures:
    """The derived figures of one customer.

    order_value_12m leaves out orders in a currency without an exchange rate in
    settings.EXCHANGE_RATES (see _values_12m).
    """
    from .models import Complaint, Order, Quotation

    today = today or timezone.localdate()
    sent = Quotation.objects.filter(project__customer=customer).exclude(
        status=Quotation.Status.DRAFT
    )
    quotes = sent.aggregate(n=Count("pk"), first=Min("quoted_on"))
    confirmed = _confirmed_orders().filter(project__customer=customer)
    # Kept on the customer by customers/standing.py whenever an order changes.
    kept = type(customer).objects.filter(pk=customer.pk).values_list("orders_per_year", flat=True)
    value = _values_12m(confirmed, today).get(customer.pk, Decimal(0))
    open_complaints = (
        Complaint.objects.filter(order__project__customer=customer, closed_on=None)
        .select_related("order__project")
        .order_by("received_on", "pk")
    )
    return CustomerFigures(
        quotes=quotes["n"],
        first_quotation=quotes["first"],
        first_cooperation=confirmed.aggregate(first=Min("confirmed_on"))["first"],
        orders_per_year={int(year): n for year, n in (kept.first() or {}).items()},
        order_value_12m=money(value),
        open_complaints=list(open_complaints),
        has_orders=Order.objects.filter(project__customer=customer).exists(),
    )


# Pareto bounds: A makes up the first 80% of the value, B the next 15%, C the rest.
CLASS_A, CLASS_B = Decimal("0.80"), Decimal("0.95")


def contribution_classes(customers, today: datetime.date | None = None) -> dict[int, str]:
    """A/B/C by share of the last 12 months' order value (Pareto), by customer id.

    Customers are ranked by value; a customer is A while the value of the customers ranked
    above it is under 80% of the total, B under 95%, C after that, so the customer that
    crosses 80% is still A. A customer with confirmed orders but no value in the last 12
    months is C; one without confirmed orders has no class. Values use the same exchange
    rates (and the same leaving out of unrated currencies) as customer_figures().
    """
    today = today or timezone.localdate()
    ids = list(customers.values_list("pk", flat=True))
    confirmed = _confirmed_orders().filter(project__customer_id__in=ids)
    # order_by(): the orders' default ordering would make distinct() read every order.
    with_orders = set(
        confirmed.order_by().values_list("project__customer_id", flat=True).distinct()
    )
    values = _values_12m(confirmed, today)
    total = sum(values.values(), Decimal(0))
    ranked = sorted(with_orders, key=lambda pk: (-values.get(pk, Decimal(0)), pk))
    classes: dict[int, str] = {}
    above = Decimal(0)
    for pk in ranked:
        value = values.get(pk, Decimal(0))
        if total <= 0 or value <= 0:
            classes[pk] = "C"
            continue
        share_above = above / total
        classes[pk] = "A" if share_above < CLASS_A else "B" if share_above < CLASS_B else "C"
        above += value
    return classes


def part_prices(part, user):
    """Every price `part` was quoted (quotations sent, accepted or declined: drafts are not
    quotes yet) and ordered at (orders entered and not cancelled), as `user` may see them."""
    from tracecode.registers.prices import PricePoint

    from .models import OrderLine, OrderState, Quotation, QuotationLine

    quoted = (
        QuotationLine.objects.visible_to(user)
        .filter(part=part)
        .exclude(quotation__status=Quotation.Status.DRAFT)
        .select_related("quotation")
    )
    for line in quoted:
        quotation = line.quotation
        yield PricePoint(
            kind=PricePoint.QUOTED,
            date=quotation.quoted_on,
            code=quotation.code,
            url=quotation.get_absolute_url(),
            currency=quotation.currency,
            quantity=line.quantity,
            unit=line.unit,
            unit_label=line.get_unit_display(),
            unit_price=line.unit_price,
            state=quotation.get_status_display(),
            state_key=quotation.status,
        )
    ordered = (
        OrderLine.objects.visible_to(user)
        .filter(part=part)
        .exclude(order__state=OrderState.CANCELLED)
        .select_related("order")
    )
    for line in ordered:
        order = line.order
        yield PricePoint(
            kind=PricePoint.ORDERED,
            date=order.ordered_on,
            code=order.code,
            url=order.get_absolute_url(),
            currency=order.currency,
            quantity=line.quantity,
            unit=line.unit,
            unit_label=line.get_unit_display(),
            unit_price=line.unit_price,
            state=order.get_state_display(),
            state_key=order.state,
            firm=order.state != OrderState.DRAFT,
        )
