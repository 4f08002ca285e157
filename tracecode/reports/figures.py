"""Every figure of the manager's view, computed in one place.

The home page, the report pages, their .xlsx and `/api/reports/…` all call these functions,
so they show the same numbers. Each report is a `Report`: tables of rows, and charts that
draw columns of those tables (a chart cannot show a number its table does not).

Rules every figure follows:
- **Visibility**: every query starts from `Model.objects.visible_to(user)`: a sales person's
  figures are those of the customers they may see, a manager's everyone's.
- **A salesperson's figures** are those of the customers they own (`Customer.owner`), so
  the team's rows add up to the team's total.
- **Orders** count once confirmed (`confirmed_on`) and not cancelled, like the customer
  sheet's figures (sales/figures.py); their value is `Order.total`.
- **Money** is converted to settings.BASE_CURRENCY with settings.EXCHANGE_RATES: sums are
  grouped per currency and converted here, or converted in the query where one statement
  adds several currencies up; an amount in a currency without a rate is left out, as on the
  customer sheet.
- **The database adds up**: each figure is one or two grouped queries, shaped so they read
  the indexes in order (see `by_month`, `visible`); Python adds up aggregated rows (the days
  of a period, the months, the sources), never the orders themselves. Medians come from a
  histogram of day counts the database groups. bench/reports.py times every page on 100,000
  orders.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Trim
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.accounts.models import Role
from tracecode.customers.models import Customer, home_country
from tracecode.customers.services import last_contact
from tracecode.leads.models import Lead, LeadEvent
from tracecode.sales.figures import CLASS_A, CLASS_B
from tracecode.sales.models import (
    AWAITING_PAYMENT,
    Complaint,
    Order,
    OrderState,
    Payment,
    Project,
    Quotation,
)
from tracecode.sales.trade import a_year_before, exchange_rate

from .models import MonthClose, Target

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
LIST_LIMIT = 100  # rows of a list a page and the API show; the .xlsx has them all

# What each report is called (the index page lists them without computing them).
TITLES = {
    "orders": gettext_lazy("Orders and revenue per month"),
    "funnel": gettext_lazy("Enquiry funnel"),
    "lost": gettext_lazy("Reasons enquiries were lost"),
    "receivables": gettext_lazy("Receivables ageing"),
    "pareto": gettext_lazy("A/B/C customers (Pareto)"),
    "new-repeat": gettext_lazy("New and repeat customers"),
    "dormant": gettext_lazy("Quiet customers"),
    "complaints": gettext_lazy("Complaints by cause"),
    "delivery": gettext_lazy("On-time delivery"),
    "enquiry-sources": gettext_lazy("Enquiries by source and first reply"),
}


# --- the shapes every report has -----------------------------------------------------------


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text, code, int, money, percent, days, date, month


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None  # the totals row, shown last
    count: int | None = None  # all rows there are, when `rows` holds only the first ones

    @property
    def more(self) -> int:
        return (self.count or 0) - len(self.rows) if self.count is not None else 0


@dataclass
class Series:
    column: str  # the table column the series draws
    kind: str = "bar"  # bar or line
    axis: str = "y"  # y, or y2: a second axis on the right (percentages)


@dataclass
class Chart:
    key: str
    title: str
    table: str  # the key of the table it draws
    label_column: str  # the column giving each bar's label
    series: list[Series]
    type: str = "bar"  # bar, line, doughnut
    stacked: bool = False
    horizontal: bool = False


@dataclass
class Report:
    name: str
    title: str
    description: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def number(value):
    """A figure as a chart and JSON take it: a float, or None for "no figure"."""
    if value is None or value == "":
        return None
    return float(value) if isinstance(value, Decimal) else value


def text(value, kind: str) -> str:
    """A cell as the page, the .xlsx header rows and the chart labels show it."""
    if value is None or value == "":
        return "" if kind in ("text", "code") else "—"
    if isinstance(value, str):
        return value
    if kind == "month":
        return month_label(value)
    if kind == "date":
        return value.isoformat()
    if kind == "money":
        return f"{Decimal(value):,.2f}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "percent":
        return f"{Decimal(value):.1f}%"
    if kind == "days":
        return f"{Decimal(value):.1f}"
    return str(value)


def chart_data(tables: list[Table], chart: Chart) -> dict:
    """What a chart draws, taken from its table: labels and one dataset per series."""
    table = next(t for t in tables if t.key == chart.table)
    columns = {c.key: c for c in table.columns}
    label_kind = columns[chart.label_column].kind
    return {
        "key": chart.key,
        "title": str(chart.title),
        "type": chart.type,
        "table": table.key,
        "stacked": chart.stacked,
        "horizontal": chart.horizontal,
        "label_column": chart.label_column,
        "labels": [text(row.get(chart.label_column), label_kind) for row in table.rows],
        "datasets": [
            {
                "label": columns[s.column].label,
                "column": s.column,
                "kind": s.kind,
                "axis": s.axis,
                "format": columns[s.column].kind,
                "data": [number(row.get(s.column)) for row in table.rows],
            }
            for s in chart.series
        ],
    }


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What every report is narrowed by (all optional but the period)."""

    date_from: datetime.date
    date_to: datetime.date
    salesperson: int | None = None  # a user id: that person's customers
    market: str = ""  # "", "domestic" or "international"
    country: str = ""  # ISO alpha-2
    industry: int | None = None  # an Industry id
    currency: str = ""  # only records in this currency (amounts still in the base currency)
    months: int = 6  # customers with no contact or order for this many months

    @classmethod
    def default(cls, today: datetime.date | None = None, **values) -> "Filters":
        """The last twelve months, this one included."""
        today = today or timezone.localdate()
        return cls(date_from=month_start(today, 11), date_to=today, **values)

    def a_year_earlier(self) -> "Filters":
        return replace(
            self, date_from=a_year_before(self.date_from), date_to=a_year_before(self.date_to)
        )

    def as_dict(self) -> dict:
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "salesperson": self.salesperson,
            "market": self.market,
            "country": self.country,
            "industry": self.industry,
            "currency": self.currency,
            "months": self.months,
        }


def customer_filter(f: Filters, path: str = "") -> Q:
    """The filters that concern the customer, reached from a model through `path`."""
    p = f"{path}__" if path else ""
    q = Q()
    if f.salesperson:
        q &= Q(**{f"{p}owner_id": f.salesperson})
    if f.country:
        q &= Q(**{f"{p}country": f.country})
    if f.industry:
        q &= Q(**{f"{p}industry_id": f.industry})
    home = home_country()
    if f.market == "domestic":
        q &= Q(**{f"{p}country": home})
    elif f.market == "international":
        q &= ~Q(**{f"{p}country": home}) & ~Q(**{f"{p}country": ""})
    return q


# --- database expressions --------------------------------------------------------------------


class MonthKey(Func):
    """A date's month as the integer YYYYMM, grouped on by the database.

    Django's TruncMonth calls a Python function per row on SQLite; strftime is SQLite's own.
    PostgreSQL and others use EXTRACT.
    """

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(YEAR FROM {sql}) * 100 + EXTRACT(MONTH FROM {sql}))", params * 2

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('%%Y%%m', {sql}) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = self.as_sql(compiler, connection, **extra)
        return f"CAST({sql} AS INTEGER)", params


class DayNumber(Func):
    """A date as a day count, so that two subtract to the days between them."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - DATE '2000-01-01')", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(julianday({sql}) AS INTEGER)", params


def days_between(start, end) -> ExpressionWrapper:
    return ExpressionWrapper(DayNumber(end) - DayNumber(start), output_field=IntegerField())


MONEY_FIELD = DecimalField(max_digits=24, decimal_places=6)


def rates() -> dict[str, Decimal]:
    """One unit of each currency with a rate, in the base currency (the base itself: 1)."""
    base = settings.BASE_CURRENCY
    found = {base: Decimal(1)}
    for code in settings.EXCHANGE_RATES:
        rate = exchange_rate(code, base, settings.EXCHANGE_RATES)
        if rate is not None:
            found[code] = rate
    return found


def in_base(amount="total", currency="currency"):
    """`amount` converted to the base currency inside the query; NULL without a rate."""
    amount = F(amount) if isinstance(amount, str) else amount
    whens = [
        When(**{currency: code}, then=amount * Value(rate, output_field=MONEY_FIELD))
        for code, rate in rates().items()
    ]
    return Case(*whens, default=Value(None), output_field=MONEY_FIELD)


def converted(rows, keys: tuple[str, ...], amounts: tuple[str, ...], currency="currency",
              rounded: bool = True) -> dict:  # fmt: skip
    """Rows grouped by `keys` and currency, added up per `keys` in the base currency.

    The database groups and sums per currency; these few sums are converted here. Amounts in
    a currency without a rate are left out.
    """
    known = rates()
    found: dict = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        into = found.setdefault(key, {a: Decimal(0) for a in amounts} | {"n": 0})
        into["n"] += row.get("n", 0)
        rate = known.get(row[currency])
        for a in amounts:
            if rate is not None and row[a] is not None:
                into[a] += Decimal(row[a]) * rate
    if rounded:
        for value in found.values():
            for a in amounts:
                value[a] = money(value[a])
    return found


def by_month(days: dict, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Figures grouped by day ({(day,): {figure: value}}) added up per month (YYYYMM), the
    days from `start` to `end` only.

    Reports group by the date itself: the rows come in the order of the date's index and
    SQLite adds them up without sorting them first. Grouping by month in the query made it
    sort every row (bench/reports.py's data, two years of orders: 34 against 22 ms of CPU).
    """
    months: dict[int, dict] = {}
    for (day, *_rest), figures_ in days.items():
        if day is not None and start <= day <= end:
            into = months.setdefault(key_of(day), {})
            for name, value in figures_.items():
                into[name] = into.get(name, 0) + (value or 0)
    return months


def to_base(amount, currency: str) -> Decimal | None:
    rate = rates().get(currency)
    return None if rate is None else money(Decimal(amount) * rate)


def money(value) -> Decimal:
    """An amount in cents; a float (SQLite's sums) is read as it prints, not as it is stored."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


# --- months ----------------------------------------------------------------------------------


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    month = day.year * 12 + day.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return month_start(day, -1) - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = month_start(current, -1)
    return months


def key_of(day: datetime.date) -> int:
    return day.year * 100 + day.month


def month_of(key: int) -> datetime.date:
    return datetime.date(key // 100, key % 100, 1)


def month_label(day: datetime.date) -> str:
    """ "November 2026" / "2026年11月", in the active language."""
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


# --- who is who ------------------------------------------------------------------------------


def person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def salespeople(user, extra_ids: Iterable[int] = ()):
    """The people whose figures `user` may see side by side: everyone in sales (and whoever
    else owns customers or has figures) for a manager, only themselves for anyone else."""
    User = get_user_model()
    if not user.sees_everything:
        return User.objects.filter(pk=user.pk)
    owners = Customer.objects.values("owner_id")
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.SALES) | Q(pk__in=owners) | Q(pk__in=list(extra_ids)))
        .order_by("first_name", "username")
    )


# --- the records every figure starts from ----------------------------------------------------


def visible(model, user, path: str):
    """`model`'s rows `user` may see (`visible_to`), with the customers they may see also
    given as a list the query can start from.

    For a sales person, `visible_to` alone makes SQLite read every order of the period and
    look up each one's customer; the list of their customers lets it start from those and
    read their orders through the index instead (bench/reports.py: the monthly orders of a
    salesperson who sees a tenth of 100,000 orders, 102 against 28 ms of CPU time).
    """
    rows = model.objects.visible_to(user)
    if user.sees_everything:
        return rows
    return rows.filter(**{f"{path}__in": Customer.objects.visible_to(user).values("pk")})


def confirmed_orders(user, f: Filters, *, period: bool = True, currency: bool = True):
    """Confirmed, not cancelled orders the user may see, narrowed by the filters."""
    orders = (
        visible(Order, user, "project__customer")
        .exclude(state=OrderState.CANCELLED)
        .exclude(confirmed_on=None)
        .filter(customer_filter(f, "project__customer"))
    )
    if currency and f.currency:
        orders = orders.filter(currency=f.currency)
    if period:
        orders = orders.filter(confirmed_on__range=(f.date_from, f.date_to))
    return orders


def enquiries(user, f: Filters):
    """Projects (enquiries) received in the period."""
    projects = (
        visible(Project, user, "customer")
        .filter(customer_filter(f, "customer"))
        .filter(received_on__range=(f.date_from, f.date_to))
    )
    return projects.filter(currency=f.currency) if f.currency else projects


def _customers(user, f: Filters):
    return Customer.objects.visible_to(user).filter(customer_filter(f))


def _labels(columns: list[tuple]) -> list[Column]:
    return [Column(key, str(label), kind) for key, label, kind in columns]


def _base(label) -> str:
    return f"{label} ({settings.BASE_CURRENCY})"


def chart_specs(tables, charts) -> list[tuple[str, dict]]:
    """(element id, data) of each chart, for the page's json_script."""
    return [(f"chart-{chart.key}", chart_data(tables, chart)) for chart in charts]


def _capped(rows: list, limit: int | None) -> list:
    return rows if limit is None else rows[:limit]


# --- orders and revenue per month ------------------------------------------------------------


def orders_by_month(user, f: Filters) -> Report:
    """Orders and their value per month beside the same months a year earlier, and the
    payments received."""
    earlier = f.a_year_earlier()
    days = converted(
        confirmed_orders(user, f, period=False)
        .filter(confirmed_on__range=(earlier.date_from, f.date_to))
        .values("confirmed_on", "currency")
        .annotate(n=Count("pk"), value=Sum("total"))
        .order_by(),
        ("confirmed_on",), ("value",), rounded=False,
    )  # fmt: skip
    now_months = by_month(days, f.date_from, f.date_to)
    before_months = by_month(days, earlier.date_from, earlier.date_to)
    payments = (
        visible(Payment, user, "order__project__customer")
        .filter(customer_filter(f, "order__project__customer"))
        .filter(received_on__range=(f.date_from, f.date_to))
    )
    if f.currency:
        payments = payments.filter(order__currency=f.currency)
    paid = by_month(converted(
        payments.values("received_on", currency=F("order__currency"))
        .annotate(value=Sum("amount")).order_by(),
        ("received_on",), ("value",), rounded=False,
    ), f.date_from, f.date_to)  # fmt: skip
    rows = []
    for month in months_between(f.date_from, f.date_to):
        now = now_months.get(key_of(month), {})
        before = before_months.get(key_of(a_year_before(month)), {})
        value, value_before = money(now.get("value")), money(before.get("value"))
        rows.append(
            {
                "month": month,
                "orders": now.get("n", 0),
                "value": value,
                "orders_before": before.get("n", 0),
                "value_before": value_before,
                "change": percent(value - value_before, value_before),
                "payments": money(paid.get(key_of(month), {}).get("value")),
            }
        )
    total = {key: sum(r[key] for r in rows) for key in
             ("orders", "value", "orders_before", "value_before", "payments")}  # fmt: skip
    total["change"] = percent(total["value"] - total["value_before"], total["value_before"])
    total["month"] = _("Total")
    columns = _labels([
        ("month", _("Month"), "month"),
        ("orders", _("Orders"), "int"),
        ("value", _base(_("Order value")), "money"),
        ("orders_before", _("Orders a year earlier"), "int"),
        ("value_before", _base(_("Order value a year earlier")), "money"),
        ("change", _("Change"), "percent"),
        ("payments", _base(_("Payments received")), "money"),
    ])  # fmt: skip
    table = Table("months", _("Per month"), columns, rows, total)
    return Report(
        "orders",
        str(TITLES["orders"]),
        _(
            "Confirmed orders by the month of their confirmation, beside the same months a year "
            "earlier, and the payments received."
        ),  # fmt: skip
        [table],
        [
            Chart(
                "value",
                _("Order value, this period and a year earlier"),
                "months",
                "month",
                [Series("value"), Series("value_before"), Series("payments", "line")],
            ),
            Chart(
                "orders",
                _("Orders, this period and a year earlier"),
                "months",
                "month",
                [Series("orders"), Series("orders_before")],
            ),
        ],  # fmt: skip
    )


# --- the funnel --------------------------------------------------------------------------


def _first(model, path: str, date: str, **conditions):
    """The earliest `date` of `model` rows under the outer project (a correlated subquery)."""
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, **conditions)
        .order_by()
        .values(path)
        .annotate(first=Min(date))
        .values("first")
    )
    return Subquery(rows, output_field=DateField())


def _median(histogram: dict[int, int]) -> Decimal | None:
    """The median of a multiset given as {value: how many}."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found, seen = [], 0
    for value in sorted(histogram):
        count = histogram[value]
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (Decimal(sum(found)) / 2).quantize(TENTH)


# Each enquiry's first sent quotation, sample and mass order are looked up once (the
# materialized `p`), then grouped three ways in one statement: per step, the days from the
# step before (NULL: one of them is missing) and whether the step was reached. Three grouped
# queries over the annotated enquiries looked each of them up three times over.
FUNNEL = """
WITH p AS MATERIALIZED ({projects})
SELECT 'quoted', source, q - r, 1, COUNT(*) FROM p GROUP BY source, q - r
UNION ALL
SELECT 'sampled', source, s - q, CASE WHEN s IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM p
GROUP BY source, s - q, CASE WHEN s IS NULL THEN 0 ELSE 1 END
UNION ALL
SELECT 'mass', source, m - s, CASE WHEN m IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM p
GROUP BY source, m - s, CASE WHEN m IS NULL THEN 0 ELSE 1 END
"""


def _sql(queryset) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to use inside a statement of this module's own."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


STEPS = [
    ("enquiries", gettext_lazy("Enquiries")),
    ("quoted", gettext_lazy("Quoted")),
    ("sampled", gettext_lazy("Sample ordered")),
    ("mass", gettext_lazy("Mass order")),
]


def funnel(user, f: Filters) -> Report:
    """Enquiries received in the period, how many were quoted, got a sample order and a mass
    order, with the conversion and the median days between the steps, by customer source.

    A step is reached when the first quotation was sent (drafts do not count), when the first
    sample order and the first mass (or processing) order were confirmed; an order cancelled
    later still counted as reached.
    """
    projects = (
        enquiries(user, f)
        .annotate(
            source=F("customer__source"),
            r=DayNumber("received_on"),
            q=DayNumber(_first(Quotation, "project", "quoted_on",
                               status__in=["sent", "accepted", "declined"])),
            s=DayNumber(_first(Order, "project", "confirmed_on", kind=Order.Kind.SAMPLE,
                               confirmed_on__isnull=False)),
            m=DayNumber(_first(Order, "project", "confirmed_on", confirmed_on__isnull=False,
                               kind__in=[Order.Kind.MASS, Order.Kind.PROCESSING])),
        )
        .values("source", "r", "q", "s", "m")
        .order_by()
    )  # fmt: skip
    inner, params = _sql(projects)
    counts: dict = defaultdict(lambda: defaultdict(int))
    days: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    with connection.cursor() as cursor:
        cursor.execute(FUNNEL.format(projects=inner), params)
        for step, source, gap, reached, n in cursor.fetchall():
            if step == "quoted":
                counts[source]["enquiries"] += n
            if reached if step != "quoted" else gap is not None:
                counts[source][step] += n
            if gap is not None:
                days[source][step][gap] += n
    from tracecode.customers.models import CustomerSource

    names = {s.pk: str(s) for s in CustomerSource.objects.filter(pk__in=[k for k in counts if k])}
    by_source = [
        _funnel_row(names.get(source, _("unknown")) if source else _("unknown"), counts[source],
                    days[source])
        for source in sorted(counts, key=lambda s: (-counts[s]["enquiries"], names.get(s, "~")))
    ]  # fmt: skip
    total_counts: dict = defaultdict(int)
    total_days: dict = defaultdict(lambda: defaultdict(int))
    for source in counts:
        for key, n in counts[source].items():
            total_counts[key] += n
        for step, histogram in days[source].items():
            for gap, n in histogram.items():
                total_days[step][gap] += n
    total = _funnel_row(_("All sources"), total_counts, total_days)
    previous = None
    step_rows = []
    for key, label in STEPS:
        n = total_counts.get(key, 0)
        step_rows.append({
            "step": str(label),
            "count": n,
            "of_enquiries": percent(n, total_counts.get("enquiries", 0)),
            "of_previous": percent(n, previous) if previous is not None else None,
            "median_days": _median(total_days.get(key, {})) if key != "enquiries" else None,
        })  # fmt: skip
        previous = n
    step_table = Table("steps", _("Steps"), _labels([
        ("step", _("Step"), "text"),
        ("count", _("Enquiries"), "int"),
        ("of_enquiries", _("Of all enquiries"), "percent"),
        ("of_previous", _("Of the step before"), "percent"),
        ("median_days", _("Median days from the step before"), "days"),
    ]), step_rows)  # fmt: skip
    source_table = Table("sources", _("By customer source"), _labels([
        ("source", _("Customer source"), "text"),
        ("enquiries", _("Enquiries"), "int"),
        ("quoted", _("Quoted"), "int"),
        ("quoted_rate", _("Quoted / enquiries"), "percent"),
        ("sampled", _("Sample ordered"), "int"),
        ("sampled_rate", _("Sample / quoted"), "percent"),
        ("mass", _("Mass order"), "int"),
        ("mass_rate", _("Mass / sample"), "percent"),
        ("won_rate", _("Mass / enquiries"), "percent"),
        ("days_quoted", _("Median days to quotation"), "days"),
        ("days_sampled", _("Median days quotation → sample"), "days"),
        ("days_mass", _("Median days sample → mass"), "days"),
    ]), by_source, total)  # fmt: skip
    return Report(
        "funnel",
        str(TITLES["funnel"]),
        _(
            "Enquiries received in the period and how far they came: quotation sent, sample "
            "order and mass order confirmed; the conversion between the steps and the median "
            "days each step took, by customer source."
        ),  # fmt: skip
        [step_table, source_table],
        [
            Chart(
                "steps",
                _("From enquiry to mass order"),
                "steps",
                "step",
                [Series("count"), Series("of_enquiries", "line", "y2")],
            ),
            Chart(
                "sources",
                _("By customer source"),
                "sources",
                "source",
                [Series("enquiries"), Series("quoted"), Series("sampled"), Series("mass")],
            ),
        ],  # fmt: skip
    )


def _funnel_row(label: str, counts: dict, days: dict) -> dict:
    enquiries_, quoted = counts.get("enquiries", 0), counts.get("quoted", 0)
    sampled, mass = counts.get("sampled", 0), counts.get("mass", 0)
    return {
        "source": label,
        "enquiries": enquiries_,
        "quoted": quoted,
        "quoted_rate": percent(quoted, enquiries_),
        "sampled": sampled,
        "sampled_rate": percent(sampled, quoted),
        "mass": mass,
        "mass_rate": percent(mass, sampled),
        "won_rate": percent(mass, enquiries_),
        "days_quoted": _median(days.get("quoted", {})),
        "days_sampled": _median(days.get("sampled", {})),
        "days_mass": _median(days.get("mass", {})),
    }


# --- lost enquiries ------------------------------------------------------------------------


def lost_reasons(user, f: Filters, limit: int | None = LIST_LIMIT) -> Report:
    """Why enquiries received in the period were lost, and which they were."""
    lost = enquiries(user, f).filter(status=Project.Status.LOST)
    reasons = list(
        lost.annotate(reason=Trim("lost_reason"))
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    total = sum(r["n"] for r in reasons)
    rows = [
        {"reason": r["reason"] or _("no reason given"), "count": r["n"],
         "share": percent(r["n"], total)}
        for r in reasons
    ]  # fmt: skip
    listed = lost.select_related("customer").order_by("-received_on", "-pk")
    items = [
        {"code": p.code, "customer": p.customer.code, "company": p.customer.company_name,
         "name": p.name, "received": p.received_on, "reason": p.lost_reason}
        for p in _capped(listed, limit)
    ]  # fmt: skip
    all_enquiries = enquiries(user, f).count()
    return Report(
        "lost",
        str(TITLES["lost"]),
        _("Enquiries received in the period and marked lost, by the reason given."),
        [
            Table("reasons", _("Reasons"), _labels([
                ("reason", _("Reason"), "text"),
                ("count", _("Enquiries"), "int"),
                ("share", _("Share of the lost"), "percent"),
            ]), rows, {"reason": _("All lost"), "count": total,
                       "share": percent(total, total)}),
            Table("lost", _("Lost enquiries"), _labels([
                ("code", _("Project"), "code"),
                ("customer", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("name", _("Project name"), "text"),
                ("received", _("Received"), "date"),
                ("reason", _("Reason"), "text"),
            ]), items, count=total),
        ],
        [Chart("reasons", _("Lost enquiries by reason"), "reasons", "reason",
               [Series("count")], horizontal=True)],
        [_("%(lost)s of %(all)s enquiries of the period were lost.")
         % {"lost": total, "all": all_enquiries}],
    )  # fmt: skip


# --- receivables -----------------------------------------------------------------------------

AGE_BUCKETS = [
    ("0-30", gettext_lazy("0–30 days"), 0, 30),
    ("31-60", gettext_lazy("31–60 days"), 31, 60),
    ("61-90", gettext_lazy("61–90 days"), 61, 90),
    ("90+", gettext_lazy("over 90 days"), 91, None),
]


def open_receivables(user, f: Filters):
    """Orders the user may see with money still to come in."""
    orders = (
        visible(Order, user, "project__customer")
        .filter(state__in=AWAITING_PAYMENT, total__gt=F("paid"))
        .filter(customer_filter(f, "project__customer"))
    )
    return orders.filter(currency=f.currency) if f.currency else orders


BALANCE = ExpressionWrapper(F("total") - F("paid"), output_field=MONEY_FIELD)


def receivables(user, f: Filters, today=None, limit: int | None = LIST_LIMIT) -> Report:
    """Open balances by age since the order was confirmed (its PI), and the overdue ones:
    those whose agreed payment date has passed. As of today; the period does not apply."""
    today = today or timezone.localdate()
    buckets = [
        When(confirmed_on__gte=today - datetime.timedelta(days=high), then=Value(key))
        for key, _label, _low, high in AGE_BUCKETS
        if high is not None
    ]
    grouped = (
        open_receivables(user, f)
        .annotate(bucket=Case(*buckets, default=Value("90+")))
        .values("bucket", "currency")
        .annotate(
            n=Count("pk"),
            balance=Sum(BALANCE),
            overdue=Sum(BALANCE, filter=Q(payment_due_on__lt=today)),
        )
        .order_by()
    )
    found = {key: row for (key,), row in converted(grouped, ("bucket",),
                                                   ("balance", "overdue")).items()}  # fmt: skip
    rows = [
        {"age": str(label), "orders": found.get(key, {}).get("n", 0),
         "balance": money(found.get(key, {}).get("balance")),
         "overdue": money(found.get(key, {}).get("overdue"))}
        for key, label, _low, _high in AGE_BUCKETS
    ]  # fmt: skip
    total = {"age": _("All"), **{k: sum(r[k] for r in rows) for k in ("orders", "balance",
                                                                        "overdue")}}  # fmt: skip
    overdue = (
        open_receivables(user, f)
        .filter(payment_due_on__lt=today)
        .select_related("project__customer__owner")
        .order_by("payment_due_on", "pk")
    )
    count = overdue.count() if limit is not None else None
    items = [
        {"code": o.code, "customer": o.project.customer.code,
         "company": o.project.customer.company_name, "owner": person(o.project.customer.owner),
         "due": o.payment_due_on, "days": (today - o.payment_due_on).days,
         "balance": o.amount_text(o.balance), "balance_base": to_base(o.balance, o.currency)}
        for o in _capped(overdue, limit)
    ]  # fmt: skip
    return Report(
        "receivables",
        str(TITLES["receivables"]),
        _("Money still to come in for confirmed orders, by days since the order was confirmed "
          "(its PI), as of today, with the part past the agreed payment date; then every "
          "overdue order."),  # fmt: skip
        [
            Table("ageing", _("Ageing"), _labels([
                ("age", _("Age"), "text"),
                ("orders", _("Orders"), "int"),
                ("balance", _base(_("Open balance")), "money"),
                ("overdue", _base(_("Of which overdue")), "money"),
            ]), rows, total),
            Table("overdue", _("Overdue"), _labels([
                ("code", _("Order"), "code"),
                ("customer", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("owner", _("Salesperson"), "text"),
                ("due", _("Agreed payment date"), "date"),
                ("days", _("Days overdue"), "int"),
                ("balance", _("Balance"), "text"),
                ("balance_base", _base(_("Balance")), "money"),
            ]), items, count=count if count is not None else len(items)),
        ],
        [Chart("ageing", _("Open balance by age"), "ageing", "age",
               [Series("balance"), Series("overdue")])],
    )  # fmt: skip


# --- A/B/C -----------------------------------------------------------------------------------

CLASS_NAMES = {
    "A": gettext_lazy("A: top contributors"),
    "B": gettext_lazy("B: middle contributors"),
    "C": gettext_lazy("C: small contributors"),
}


# Customers ranked by value with the value of those ranked above them (window functions), and
# the classes' totals, in one statement: ranking the 10,000 customers in Python cost twice as
# long (bench/reports.py's data: 136 against 60 ms of CPU). The class rule is
# contribution_class()'s.
PARETO = """
WITH v AS MATERIALIZED ({values}),
r AS MATERIALIZED (
    SELECT cid, value, n,
           COALESCE(SUM(value) OVER (ORDER BY value DESC, cid
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS above,
           SUM(value) OVER () AS total,
           ROW_NUMBER() OVER (ORDER BY value DESC, cid) AS place
    FROM v WHERE value IS NOT NULL
),
k AS (
    SELECT CASE WHEN value <= 0 OR total <= 0 THEN 'C'
                WHEN above < %s * total THEN 'A'
                WHEN above < %s * total THEN 'B' ELSE 'C' END AS klass, value
    FROM r
)
SELECT 'class', klass, SUM(value), COUNT(*), NULL, NULL, NULL FROM k GROUP BY klass
UNION ALL
SELECT 'row', CAST(cid AS TEXT), value, n, above, total, place FROM r WHERE place <= %s
"""


def contribution_class(value: Decimal, above: Decimal, total: Decimal) -> str:
    """A while the value ranked above is under 80% of the total, B under 95%, C after."""
    if value <= 0 or total <= 0:
        return "C"
    share_above = above / total
    return "A" if share_above < CLASS_A else "B" if share_above < CLASS_B else "C"


def pareto(user, f: Filters, limit: int | None = LIST_LIMIT) -> Report:
    """Customers ranked by order value in the period, their cumulative share and their A/B/C
    class within this selection (A up to 80% of the value, B to 95%, C the rest: the rule of
    the customer sheet, sales/figures.py). With the default filters a manager's classes are
    the customer sheets' (the last 12 months of every customer)."""
    values = (
        confirmed_orders(user, f)
        .values(cid=F("project__customer_id"))
        .annotate(value=Sum(in_base()), n=Count("pk"))
        .order_by()
    )
    inner, params = _sql(values)
    shown, classes_found = [], {}
    with connection.cursor() as cursor:
        cursor.execute(
            PARETO.format(values=inner),
            (*params, CLASS_A, CLASS_B, limit if limit is not None else 10**9),
        )
        for what, key, value, n, above, total, rank in cursor.fetchall():
            if what == "class":
                classes_found[key] = (money(value), n)
            else:
                shown.append((int(key), money(value), n, money(above), money(total), rank))
    total = sum((v for v, _n in classes_found.values()), Decimal(0))
    customers = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=[r[0] for r in shown]).select_related("owner")
    }
    rows = []
    for cid, value, n, above, _total, rank in shown:
        customer = customers[cid]
        rows.append({
            "rank": rank, "code": customer.code, "company": customer.company_name,
            "owner": person(customer.owner), "orders": n, "value": value,
            "share": percent(value, total), "cumulative": percent(above + value, total),
            "class": contribution_class(value, above, total),
            "by_hand": customer.class_override,
        })  # fmt: skip
    classes = []
    for klass in ("A", "B", "C"):
        value, n = classes_found.get(klass, (Decimal(0), 0))
        classes.append({"class": klass, "name": str(CLASS_NAMES[klass]), "customers": n,
                        "value": value, "share": percent(value, total)})  # fmt: skip
    count = sum(n for _v, n in classes_found.values())
    return Report(
        "pareto",
        str(TITLES["pareto"]),
        _("Customers by order value in the period: A make up the first 80% of the value, B the "
          "next 15%, C the rest."),  # fmt: skip
        [
            Table("classes", _("Classes"), _labels([
                ("class", _("Class"), "text"),
                ("name", _("Meaning"), "text"),
                ("customers", _("Customers"), "int"),
                ("value", _base(_("Order value")), "money"),
                ("share", _("Share of the value"), "percent"),
            ]), classes, {"class": "", "name": _("All"), "customers": count, "value": total,
                          "share": percent(total, total)}),
            Table("customers", _("Customers"), _labels([
                ("rank", _("Rank"), "int"),
                ("code", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("owner", _("Salesperson"), "text"),
                ("orders", _("Orders"), "int"),
                ("value", _base(_("Order value")), "money"),
                ("share", _("Share"), "percent"),
                ("cumulative", _("Cumulative share"), "percent"),
                ("class", _("Class"), "text"),
                ("by_hand", _("Class set by hand"), "text"),
            ]), rows, count=count),
        ],
        [
            Chart("classes", _("Order value by class"), "classes", "class",
                  [Series("value"), Series("share", "line", "y2")]),
            Chart("pareto", _("Customers by value, and the cumulative share"), "customers",
                  "code", [Series("value"), Series("cumulative", "line", "y2")]),
        ],
    )  # fmt: skip


# --- new and repeat customers ----------------------------------------------------------------


def ordered_before(day) -> Exists:
    """Whether the outer order's customer had a confirmed order before `day` (an expression
    or a date): one index seek per order (sales_order project_id, confirmed_on)."""
    earlier = (
        Order.objects.filter(
            project__customer_id=OuterRef("project__customer_id"), confirmed_on__lt=day
        )
        .exclude(state=OrderState.CANCELLED)
        .order_by()
    )
    return Exists(earlier)


# The period's orders (`o`, visibility and filters included), each customer's first month in
# the period and whether it had ordered before the period (`c`, one index seek per customer):
# an order is a new customer's when the customer had not ordered before the period and it
# falls in the customer's first month. Checking "ordered before this order's month" for each
# order instead took half as long again (bench/reports.py's data: 148 against 97 ms of CPU).
NEW_AND_REPEAT = """
WITH o AS MATERIALIZED ({orders}),
c AS MATERIALIZED (
    SELECT cid, MIN(month) AS first_month, NOT EXISTS (
        SELECT 1 FROM sales_order e INNER JOIN sales_project ep ON ep.id = e.project_id
        WHERE ep.customer_id = o.cid AND e.confirmed_on < %s AND e.state <> 'cancelled'
    ) AS fresh
    FROM o GROUP BY cid
)
SELECT o.month, CASE WHEN c.fresh AND o.month = c.first_month THEN 1 ELSE 0 END,
       COUNT(DISTINCT o.cid), COUNT(*), SUM(o.value)
FROM o INNER JOIN c ON c.cid = o.cid
GROUP BY 1, 2
"""


def new_and_repeat(user, f: Filters) -> Report:
    """Per month: customers who ordered for the first time ever, and those who came back."""
    orders = (
        confirmed_orders(user, f)
        .values(cid=F("project__customer_id"), month=MonthKey("confirmed_on"), value=in_base())
        .order_by()
    )
    inner, params = _sql(orders)
    with connection.cursor() as cursor:
        cursor.execute(NEW_AND_REPEAT.format(orders=inner), (*params, f.date_from))
        found = {(month, bool(new)): (customers, n, value)
                 for month, new, customers, n, value in cursor.fetchall()}  # fmt: skip
    rows = []
    for month in months_between(f.date_from, f.date_to):
        new = found.get((key_of(month), True), (0, 0, 0))
        repeat = found.get((key_of(month), False), (0, 0, 0))
        rows.append(
            {
                "month": month,
                "new": new[0],
                "new_value": money(new[2]),
                "repeat": repeat[0],
                "repeat_value": money(repeat[2]),
                "new_share": percent(new[2] or 0, (new[2] or 0) + (repeat[2] or 0)),
            }
        )
    total = {k: sum(r[k] for r in rows) for k in ("new", "new_value", "repeat_value")}
    total["new_share"] = percent(total["new_value"], total["new_value"] + total["repeat_value"])
    total["repeat"] = None  # a customer may come back in several months: no honest sum
    total["month"] = _("Total")
    return Report(
        "new-repeat",
        str(TITLES["new-repeat"]),
        _("Per month, the customers whose first confirmed order ever falls in it (new) and "
          "those who had ordered before (repeat), with their order value."),
        [Table("months", _("Per month"), _labels([
            ("month", _("Month"), "month"),
            ("new", _("New customers"), "int"),
            ("new_value", _base(_("Their order value")), "money"),
            ("repeat", _("Repeat customers"), "int"),
            ("repeat_value", _base(_("Repeat order value")), "money"),
            ("new_share", _("New customers' share of the value"), "percent"),
        ]), rows, total)],
        [
            Chart("customers", _("New and repeat customers"), "months", "month",
                  [Series("new"), Series("repeat")], stacked=True),
            Chart("value", _("Order value of new and repeat customers"), "months", "month",
                  [Series("new_value"), Series("repeat_value")], stacked=True),
        ],
    )  # fmt: skip


# --- quiet customers -----------------------------------------------------------------------


def last_order():
    """Each customer's latest confirmed, not cancelled order date, as a query expression."""
    orders = (
        Order.objects.filter(project__customer=OuterRef("pk"))
        .exclude(confirmed_on=None)
        .exclude(state=OrderState.CANCELLED)
        .order_by()
        .values("project__customer")
        .annotate(last=Max("confirmed_on"))
        .values("last")
    )
    return Subquery(orders, output_field=DateField())


def _among(rows, path: str, user):
    """Rows of the customers `user` may see only: a sales person's lists stay short."""
    if user.sees_everything:
        return rows
    return rows.filter(**{f"{path}__in": Customer.objects.visible_to(user).values("pk")})


def contacted_since(cutoff: datetime.date, user) -> Q:
    """Customers with a mail, chat message or log entry (the record registry's contact
    kinds) since `cutoff`: one range scan per kind, not a latest date per customer."""
    from tracecode.codes import registry

    found = Q(pk__in=[])
    for kind in registry.contact_kinds():
        start = cutoff
        if isinstance(kind.model._meta.get_field(kind.contact), DateTimeField):
            start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        ids = kind.model._default_manager.filter(
            **{f"{kind.contact}__gte": start, f"{kind.customer_path}__isnull": False}
        )  # a NULL in the list would make `NOT IN` unknown for every customer
        ids = _among(ids, kind.customer_path, user).values(kind.customer_path)
        found |= Q(pk__in=ids)
    return found


def ordered_since(cutoff: datetime.date, user) -> Q:
    ids = Order.objects.filter(confirmed_on__gte=cutoff).exclude(state=OrderState.CANCELLED)
    return Q(pk__in=_among(ids, "project__customer", user).values("project__customer_id"))


def dormant(user, f: Filters, today=None, limit: int | None = LIST_LIMIT) -> Report:
    """Current customers with no contact, or no order, for `f.months` months (or never)."""
    today = today or timezone.localdate()
    cutoff = _months_back(today, f.months)
    customers = (
        _customers(user, f)
        .filter(archived_at=None)
        .annotate(
            quiet=ExpressionWrapper(~contacted_since(cutoff, user), output_field=BooleanField()),
            idle=ExpressionWrapper(~ordered_since(cutoff, user), output_field=BooleanField()),
        )
    )
    counts = {"all": 0, "quiet": 0, "idle": 0, "both": 0}
    for row in customers.values("quiet", "idle").annotate(n=Count("pk")).order_by():
        counts["all"] += row["n"]
        counts["quiet"] += row["n"] if row["quiet"] else 0
        counts["idle"] += row["n"] if row["idle"] else 0
        counts["both"] += row["n"] if row["quiet"] and row["idle"] else 0
    # Their latest contact and order are read for the rows shown only.
    listed = (
        customers.filter(Q(quiet=True) | Q(idle=True))
        .select_related("owner", "status")
        .annotate(last_contact=last_contact(), last_order=last_order())
        .order_by("code")
    )
    rows = [
        {"code": c.code, "company": c.company_name, "owner": person(c.owner),
         "status": str(c.status) if c.status_id else "", "last_contact": c.last_contact,
         "last_order": c.last_order, "no_contact": _("yes") if c.quiet else "",
         "no_order": _("yes") if c.idle else ""}
        for c in _capped(listed, limit)
    ]  # fmt: skip
    summary = [
        {"what": _("No contact"), "customers": counts["quiet"]},
        {"what": _("No order"), "customers": counts["idle"]},
        {"what": _("Neither"), "customers": counts["both"]},
    ]
    return Report(
        "dormant",
        str(TITLES["dormant"]),
        _("Current customers with no contact (mail, chat, log) or no confirmed order since "
          "%(date)s, or never.") % {"date": cutoff.isoformat()},
        [
            Table("summary", _("Summary"), _labels([
                ("what", _("Since %(date)s") % {"date": cutoff.isoformat()}, "text"),
                ("customers", _("Customers"), "int"),
            ]), summary),
            Table("customers", _("Customers"), _labels([
                ("code", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("owner", _("Salesperson"), "text"),
                ("status", _("Business status"), "text"),
                ("last_contact", _("Last contact"), "date"),
                ("last_order", _("Last order"), "date"),
                ("no_contact", _("No contact"), "text"),
                ("no_order", _("No order"), "text"),
            ]), rows, count=counts["quiet"] + counts["idle"] - counts["both"]),
        ],
        [Chart("summary", _("Quiet customers"), "summary", "what", [Series("customers")])],
        [_("%(n)s current customers in this selection.") % {"n": counts["all"]}],
    )  # fmt: skip


def _months_back(day: datetime.date, months: int) -> datetime.date:
    start = month_start(day, months)
    return start.replace(day=min(day.day, month_end(start).day))


# --- complaints ------------------------------------------------------------------------------


def complaints(user, f: Filters, limit: int | None = LIST_LIMIT) -> Report:
    """Complaints received in the period by cause, and those that came back: the same
    customer complaining about the same part (project) more than once."""
    received = (
        visible(Complaint, user, "order__project__customer")
        .filter(customer_filter(f, "order__project__customer"))
        .filter(received_on__range=(f.date_from, f.date_to))
    )
    if f.currency:
        received = received.filter(order__currency=f.currency)
    by_cause = list(
        received.values("cause")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(closed_on=None)),
                  customers=Count("order__project__customer", distinct=True))
        .order_by("-n", "cause")
    )  # fmt: skip
    total = sum(r["n"] for r in by_cause)
    names = dict(Complaint.Cause.choices)
    rows = [
        {"cause": str(names.get(r["cause"], _("not classified yet"))), "count": r["n"],
         "share": percent(r["n"], total), "open": r["open"], "customers": r["customers"]}
        for r in by_cause
    ]  # fmt: skip
    pairs: dict = {}
    grouped = (
        received.values(
            customer=F("order__project__customer__code"),
            company=F("order__project__customer__company_name"),
            part=F("order__project__name"),
            kind=F("cause"),
        )
        .annotate(n=Count("pk"), first=Min("received_on"), last=Max("received_on"))
        .order_by()
    )
    for row in grouped:
        pair = pairs.setdefault((row["customer"], row["part"]), {
            "customer": row["customer"], "company": row["company"], "part": row["part"],
            "count": 0, "causes": {}, "first": row["first"], "last": row["last"]})  # fmt: skip
        pair["count"] += row["n"]
        label = str(names.get(row["kind"], _("not classified yet")))
        pair["causes"][label] = pair["causes"].get(label, 0) + row["n"]
        pair["first"], pair["last"] = (
            min(pair["first"], row["first"]),
            max(pair["last"], row["last"]),
        )
    recurring = sorted((p for p in pairs.values() if p["count"] > 1),
                       key=lambda p: (-p["count"], p["customer"], p["part"]))  # fmt: skip
    recurring_rows = [
        {**{k: p[k] for k in ("customer", "company", "part", "count", "first", "last")},
         "causes": ", ".join(f"{c} ×{n}" for c, n in sorted(p["causes"].items(),
                                                              key=lambda i: (-i[1], i[0])))}
        for p in _capped(recurring, limit)
    ]  # fmt: skip
    return Report(
        "complaints",
        str(TITLES["complaints"]),
        _("Complaints received in the period by the class of their root cause, and the "
          "customers who complained about the same part more than once."),
        [
            Table("causes", _("By cause"), _labels([
                ("cause", _("Cause"), "text"),
                ("count", _("Complaints"), "int"),
                ("share", _("Share"), "percent"),
                ("open", _("Still open"), "int"),
                ("customers", _("Customers"), "int"),
            ]), rows, {"cause": _("All"), "count": total, "share": percent(total, total),
                       "open": sum(r["open"] for r in rows), "customers": None}),
            Table("recurring", _("Recurring per customer and part"), _labels([
                ("customer", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("part", _("Part"), "text"),
                ("count", _("Complaints"), "int"),
                ("causes", _("Causes"), "text"),
                ("first", _("First"), "date"),
                ("last", _("Latest"), "date"),
            ]), recurring_rows, count=len(recurring)),
        ],
        [
            Chart("causes", _("Complaints by cause"), "causes", "cause", [Series("count")],
                  horizontal=True),
            Chart("recurring", _("Complaints per customer and part, when more than one"),
                  "recurring", "part", [Series("count")], horizontal=True),
        ],
    )  # fmt: skip


# --- delivery --------------------------------------------------------------------------------


def on_time_delivery(user, f: Filters, limit: int | None = LIST_LIMIT) -> Report:
    """Orders shipped in the period (their ETD) against the customer's delivery date."""
    shipped = (
        visible(Order, user, "project__customer")
        .exclude(state=OrderState.CANCELLED)
        .filter(etd__range=(f.date_from, f.date_to))
        .filter(customer_filter(f, "project__customer"))
    )
    if f.currency:
        shipped = shipped.filter(currency=f.currency)
    late = Q(etd__gt=F("delivery_date"))
    grouped = (
        shipped.annotate(gap=days_between("delivery_date", "etd"))
        .values("etd")
        .annotate(n=Count("pk"), late=Count("pk", filter=late),
                  late_days=Sum("gap", filter=late))
        .order_by()
    )  # fmt: skip
    found = by_month({(row.pop("etd"),): row for row in grouped}, f.date_from, f.date_to)
    rows = []
    for month in months_between(f.date_from, f.date_to):
        row = found.get(key_of(month), {})
        n, n_late = row.get("n", 0), row.get("late", 0)
        rows.append({"month": month, "shipped": n, "on_time": n - n_late, "late": n_late,
                     "on_time_rate": percent(n - n_late, n),
                     "days_late": _average(row.get("late_days"), n_late)})  # fmt: skip
    n = sum(r["shipped"] for r in rows)
    n_late = sum(r["late"] for r in rows)
    late_days = sum(found.get(key_of(r["month"]), {}).get("late_days") or 0 for r in rows)
    total = {
        "month": _("Total"),
        "shipped": n,
        "on_time": n - n_late,
        "late": n_late,
        "on_time_rate": percent(n - n_late, n),
        "days_late": _average(late_days, n_late),
    }
    listed = (
        shipped.filter(late)
        .annotate(gap=days_between("delivery_date", "etd"))
        .select_related("project__customer")
        .order_by("-gap", "code")
    )
    items = [
        {"code": o.code, "customer": o.project.customer.code,
         "company": o.project.customer.company_name, "promised": o.delivery_date,
         "shipped": o.etd, "days": o.gap}
        for o in _capped(listed, limit)
    ]  # fmt: skip
    return Report(
        "delivery",
        str(TITLES["delivery"]),
        _("Orders shipped in the period (their ETD) against the customer's delivery date: "
          "on time when they left on or before it."),
        [
            Table("months", _("Per month"), _labels([
                ("month", _("Month"), "month"),
                ("shipped", _("Shipped"), "int"),
                ("on_time", _("On time"), "int"),
                ("late", _("Late"), "int"),
                ("on_time_rate", _("On time (%)"), "percent"),
                ("days_late", _("Average days late"), "days"),
            ]), rows, total),
            Table("late", _("Shipped late"), _labels([
                ("code", _("Order"), "code"),
                ("customer", _("Customer"), "code"),
                ("company", _("Company"), "text"),
                ("promised", _("Customer's delivery date"), "date"),
                ("shipped", _("Shipped (ETD)"), "date"),
                ("days", _("Days late"), "int"),
            ]), items, count=n_late),
        ],
        [Chart("months", _("Shipments on time and late"), "months", "month",
               [Series("on_time"), Series("late"), Series("on_time_rate", "line", "y2")],
               stacked=True)],
    )  # fmt: skip


def _average(total, n) -> Decimal | None:
    return (Decimal(total) / n).quantize(TENTH) if n and total is not None else None


# --- plan against result ---------------------------------------------------------------------

PLAN_FIGURES = [
    # key, what, kind
    ("order_value", gettext_lazy("Order value"), "money"),
    ("new_customers", gettext_lazy("New customers"), "int"),
    ("leads_followed", gettext_lazy("Leads followed"), "int"),
]


def results(user, month: datetime.date, owners: Iterable[int] | None = None) -> dict:
    """Each salesperson's results of a month, by user id: order value (base currency) and
    new customers of the customers they own, and the leads they followed up (a result
    recorded)."""
    f = Filters(date_from=month, date_to=month_end(month))
    found: dict = defaultdict(lambda: {"order_value": Decimal(0), "new_customers": 0,
                                       "leads_followed": 0})  # fmt: skip
    values = (
        confirmed_orders(user, f)
        .values("currency", owner=F("project__customer__owner_id"))
        .annotate(value=Sum("total"))
        .order_by()
    )
    for (owner,), row in converted(values, ("owner",), ("value",)).items():
        found[owner]["order_value"] = row["value"]
    new = (
        confirmed_orders(user, f)
        .filter(~ordered_before(month))
        .values(owner=F("project__customer__owner_id"))
        .annotate(n=Count("project__customer", distinct=True))
        .order_by()
    )
    for row in new:
        found[row["owner"]]["new_customers"] = row["n"]
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(month_end(month), datetime.time.max))
    followed = (
        LeadEvent.objects.visible_to(user)
        .filter(action=LeadEvent.Action.RESULT, at__range=(start, end))
        .values("by")
        .annotate(n=Count("lead", distinct=True))
        .order_by()
    )
    for row in followed:
        if row["by"] is not None:
            found[row["by"]]["leads_followed"] = row["n"]
    if owners is not None:
        wanted = set(owners)
        return {pk: v for pk, v in found.items() if pk in wanted}
    return dict(found)


def plan_rows(user, month: datetime.date) -> list[dict]:
    """Plan against result of a month, one row per salesperson the user may see, computed
    now (a closed month's kept rows are in MonthClose)."""
    targets = {t.salesperson_id: t for t in Target.objects.filter(month=month)}
    found = results(user, month)
    people = list(salespeople(user, extra_ids=[*targets, *found]))
    rows = []
    for each in people:
        target = targets.get(each.pk)
        result = found.get(each.pk, {})
        row = {"salesperson": person(each), "username": each.username}
        for key, _label, _kind in PLAN_FIGURES:
            planned = getattr(target, key) if target else None
            done = result.get(key, Decimal(0) if key == "order_value" else 0)
            row[f"{key}_target"] = money(planned) if key == "order_value" and target else planned
            row[key] = done
            row[f"{key}_rate"] = percent(done, planned) if planned else None
        rows.append(row)
    return rows


def _plan_total(rows: list[dict]) -> dict:
    total: dict = {"salesperson": _("Team"), "username": ""}
    for key, _label, kind in PLAN_FIGURES:
        zero = Decimal(0) if kind == "money" else 0
        planned = [r[f"{key}_target"] for r in rows if r[f"{key}_target"] is not None]
        total[f"{key}_target"] = sum(planned, zero) if planned else None
        total[key] = sum((r[key] for r in rows), zero)
        total[f"{key}_rate"] = percent(total[key], total[f"{key}_target"])
    return total


def plan_columns() -> list[Column]:
    columns = [("salesperson", _("Salesperson"), "text")]
    for key, label, kind in PLAN_FIGURES:
        shown = _base(label) if kind == "money" else str(label)
        columns += [
            (f"{key}_target", _("%(figure)s: target") % {"figure": shown}, kind),
            (key, _("%(figure)s: result") % {"figure": shown}, kind),
            (f"{key}_rate", _("%(figure)s: achieved") % {"figure": label}, "percent"),
        ]
    return _labels(columns)


def plan_against_result(user, month: datetime.date) -> Report:
    """The month's targets against results per salesperson and for the team; a closed month
    as it was kept, with what has changed since listed beside it."""
    month = month_start(month)
    closed = MonthClose.objects.filter(month=month).select_related("closed_by").first()
    now = plan_rows(user, month)
    notes = []
    corrections = []
    if closed is not None:
        rows = [_restored(r) for r in closed.rows]
        if not user.sees_everything:
            rows = [r for r in rows if r["username"] == user.username]
        notes.append(
            _("Closed on %(date)s by %(name)s: the figures as they were then.")
            % {"date": timezone.localtime(closed.closed_at).date().isoformat(),
               "name": person(closed.closed_by)}
        )  # fmt: skip
        corrections = _corrections(rows, now)
    else:
        rows = now
    tables = [Table("plan", _("Plan against result"), plan_columns(), rows,
                    _plan_total(rows) if user.sees_everything else None)]  # fmt: skip
    if closed is not None:
        tables.append(Table("corrections", _("Changed since the month was closed"), _labels([
            ("salesperson", _("Salesperson"), "text"),
            ("figure", _("Figure"), "text"),
            ("closed", _("When closed"), "text"),
            ("now", _("Now"), "text"),
        ]), corrections))  # fmt: skip
    return Report(
        "plan",
        _("Plan against result, %(month)s") % {"month": month_label(month)},
        _("Each salesperson's targets for the month against what they achieved: the value of "
          "orders confirmed for their customers, customers ordering for the first time, and "
          "leads followed up."),
        tables,
        [Chart("plan", _("Order value against target"), "plan", "salesperson",
               [Series("order_value_target"), Series("order_value")])],
        notes,
    )  # fmt: skip


def snapshot_rows(rows: list[dict]) -> list[dict]:
    """Rows as JSON keeps them: money as text, so nothing is rounded twice."""
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]


def _restored(row: dict) -> dict:
    restored = dict(row)
    for key, _label, kind in PLAN_FIGURES:
        for name in (f"{key}_target", key, f"{key}_rate"):
            value = restored.get(name)
            if value is not None and (kind == "money" or name.endswith("_rate")):
                restored[name] = Decimal(value)
    return restored


def _corrections(closed: list[dict], now: list[dict]) -> list[dict]:
    current = {r["username"]: r for r in now}
    changes = []
    for row in closed:
        other = current.get(row["username"])
        for key, label, kind in PLAN_FIGURES:
            for name, what in ((key, label), (f"{key}_target", _("%(figure)s target")
                                                 % {"figure": label})):  # fmt: skip
                before = row.get(name)
                after = other.get(name) if other else None
                if (before or 0) != (after or 0):
                    changes.append(
                        {
                            "salesperson": row["salesperson"],
                            "figure": str(what),
                            "closed": _text(before, kind),
                            "now": _text(after, kind),
                        }
                    )
    return changes


def _text(value, kind) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}" if kind == "money" else str(value)


# --- the home page ---------------------------------------------------------------------------

PIPELINE = [Project.Status.NEW, Project.Status.QUOTING, Project.Status.SAMPLING,
            Project.Status.MASS_PRODUCTION]  # fmt: skip
SHIP_DAYS = 14
COMING_DAYS = 7


@dataclass
class Dashboard:
    team: bool  # a manager's view of everyone, else the user's own
    pipeline: Table
    people: Table | None
    follow_ups_due: list
    follow_ups_coming: list
    to_ship: list
    to_ship_count: int
    overdue: list
    overdue_count: int
    overdue_total: Decimal
    plan: list[dict]
    month: datetime.date
    charts: list[Chart] = field(default_factory=list)
    leads_to_evaluate: int = 0
    leads_due: list = field(default_factory=list)
    follow_ups_due_count: int = 0

    @property
    def tables(self) -> list[Table]:
        return [t for t in (self.pipeline, self.people) if t is not None]

    @property
    def open_enquiries(self) -> int:
        return sum(r["count"] for r in self.pipeline.rows[: len(PIPELINE)])

    @property
    def open_quotations(self) -> int:
        return sum(r["count"] for r in self.pipeline.rows[len(PIPELINE) :])

    @property
    def this_month(self) -> dict:
        """Order value, target and how much of it is reached, for the user or the team."""
        rows = self.plan
        value = sum((r["order_value"] for r in rows), Decimal(0))
        targets = [r["order_value_target"] for r in rows if r["order_value_target"] is not None]
        target = sum(targets, Decimal(0)) if targets else None
        return {"value": value, "target": target, "rate": percent(value, target)}


def dashboard(user, today=None) -> Dashboard:
    """What the home page shows: the user's own pipeline, follow-ups, orders to ship, overdue
    money and this month against target; a manager sees the team's and each salesperson's."""
    today = today or timezone.localdate()
    team = user.sees_everything

    def mine(path: str = "") -> Q:
        """The user's own customers (everyone's for the team), reached through `path`."""
        return Q() if team else Q(**{f"{path}owner": user})

    customers = Customer.objects.visible_to(user).filter(mine())
    projects = (
        Project.objects.visible_to(user)
        .filter(mine("customer__"), status__in=PIPELINE)
        .values("status", owner=F("customer__owner_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    quotations = (
        Quotation.objects.visible_to(user)
        .filter(mine("project__customer__"),
                status__in=[Quotation.Status.DRAFT, Quotation.Status.SENT])
        .values("status", owner=F("project__customer__owner_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    per: dict = defaultdict(lambda: defaultdict(int))
    stages: dict = defaultdict(int)
    for row in projects:
        stages[row["status"]] += row["n"]
        per[row["owner"]]["enquiries"] += row["n"]
    for row in quotations:
        stages[f"quotation_{row['status']}"] += row["n"]
        per[row["owner"]]["quotations"] += row["n"]
    labels = dict(Project.Status.choices)
    pipeline_rows = [{"stage": capfirst(labels[s]), "count": stages.get(s, 0)} for s in PIPELINE]
    pipeline_rows += [
        {"stage": _("Quotations in draft"), "count": stages.get("quotation_draft", 0)},
        {"stage": _("Quotations sent, no answer yet"), "count": stages.get("quotation_sent", 0)},
    ]
    pipeline = Table("pipeline", _("Pipeline"), _labels([
        ("stage", _("Stage"), "text"), ("count", _("Open"), "int")]), pipeline_rows)  # fmt: skip

    due_rows = (
        customers.filter(archived_at=None, next_step_due__lte=today + datetime.timedelta(
            days=COMING_DAYS))
        .select_related("owner", "status")
        .order_by("next_step_due", "code")
    )  # fmt: skip
    follow = list(due_rows[:40]) if not team else []
    due_counts = dict(
        customers.filter(archived_at=None, next_step_due__lte=today)
        .values("owner").annotate(n=Count("pk")).order_by().values_list("owner", "n")
    )  # fmt: skip
    ship = (
        Order.objects.visible_to(user).filter(mine("project__customer__"))
        .to_ship(today + datetime.timedelta(days=SHIP_DAYS))
    )  # fmt: skip
    ship_counts = dict(
        ship.values(owner=F("project__customer__owner_id")).annotate(n=Count("pk")).order_by()
        .values_list("owner", "n")
    )  # fmt: skip
    to_ship = list(ship.select_related("project__customer").order_by("delivery_date", "code")[:20])
    overdue_orders = (
        Order.objects.visible_to(user).filter(mine("project__customer__")).payment_overdue(today)
    )
    grouped = (
        overdue_orders.values("currency", owner=F("project__customer__owner_id"))
        .annotate(n=Count("pk"), value=Sum(BALANCE))
        .order_by()
    )
    overdue_by = {owner: row for (owner,), row in converted(grouped, ("owner",),
                                                            ("value",)).items()}  # fmt: skip
    overdue = list(
        overdue_orders.select_related("project__customer").order_by("payment_due_on", "code")[:20]
    )
    month = today.replace(day=1)
    plan = plan_rows(user, month) if team else [
        r for r in plan_rows(user, month) if r["username"] == user.username]  # fmt: skip
    people = None
    charts = [Chart("pipeline", _("Pipeline"), "pipeline", "stage", [Series("count")],
                    horizontal=True)]  # fmt: skip
    if team:
        plan_by = {r["username"]: r for r in plan}
        people_rows = []
        for each in salespeople(user, extra_ids=[k for k in per if k]):
            row = plan_by.get(each.username, {})
            people_rows.append({
                "salesperson": person(each),
                "enquiries": per[each.pk]["enquiries"],
                "quotations": per[each.pk]["quotations"],
                "follow_ups": due_counts.get(each.pk, 0),
                "to_ship": ship_counts.get(each.pk, 0),
                "overdue": money(overdue_by.get(each.pk, {}).get("value")),
                "order_value": row.get("order_value", Decimal(0)),
                "order_value_target": row.get("order_value_target"),
                "order_value_rate": row.get("order_value_rate"),
            })  # fmt: skip
        people = Table("people", _("Each salesperson"), _labels([
            ("salesperson", _("Salesperson"), "text"),
            ("enquiries", _("Open enquiries"), "int"),
            ("quotations", _("Open quotations"), "int"),
            ("follow_ups", _("Follow-ups due"), "int"),
            ("to_ship", _("To ship in 14 days"), "int"),
            ("overdue", _base(_("Overdue receivables")), "money"),
            ("order_value", _base(_("Orders this month")), "money"),
            ("order_value_target", _base(_("Target this month")), "money"),
            ("order_value_rate", _("Achieved"), "percent"),
        ]), people_rows, _team_total(people_rows))  # fmt: skip
        charts.append(
            Chart(
                "people",
                _("This month against target"),
                "people",
                "salesperson",
                [Series("order_value_target"), Series("order_value")],
            )
        )
    leads = Lead.objects.visible_to(user)
    return Dashboard(
        team=team,
        pipeline=pipeline,
        people=people,
        follow_ups_due=[c for c in follow if c.next_step_due <= today],
        follow_ups_coming=[c for c in follow if c.next_step_due > today],
        to_ship=to_ship,
        to_ship_count=sum(ship_counts.values()),
        overdue=overdue,
        overdue_count=sum(r["n"] for r in overdue_by.values()),
        overdue_total=money(sum((r["value"] or 0 for r in overdue_by.values()), Decimal(0))),
        plan=plan,
        month=month,
        charts=charts,
        leads_to_evaluate=leads.filter(state=Lead.State.REPORTED).count() if team else 0,
        follow_ups_due_count=sum(due_counts.values()),
        leads_due=list(
            leads.filter(state=Lead.State.ACCEPTED, follow_up_due__lte=today)
            .filter(Q() if team else Q(assigned_to=user))
            .select_related("customer", "assigned_to")
            .order_by("follow_up_due", "code")[:10]
        ),
    )


def _team_total(rows: list[dict]) -> dict:
    total = {"salesperson": _("Team")}
    for key in ("enquiries", "quotations", "follow_ups", "to_ship"):
        total[key] = sum(r[key] for r in rows)
    for key in ("overdue", "order_value"):
        total[key] = sum((r[key] for r in rows), Decimal(0))
    targets = [r["order_value_target"] for r in rows if r["order_value_target"] is not None]
    total["order_value_target"] = sum(targets, Decimal(0)) if targets else None
    total["order_value_rate"] = percent(total["order_value"], total["order_value_target"])
    return total


# --- the catalogue ---------------------------------------------------------------------------


def enquiry_sources(user, f: Filters) -> Report:
    """Enquiries that came in through the intake (a mail, a chat message, the website's form)
    in the period, per source, and how fast each got its first reply (the median, in hours),
    as the enquiries app counts them for the queue (rejected ones left out)."""
    from tracecode.enquiries import services as intake

    def start(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    found = intake.figures(user, start(f.date_from), start(f.date_to + datetime.timedelta(1)))
    rows = [
        {"source": s.label, "count": s.count, "answered": s.answered, "median": s.median_hours}
        for s in found
    ]
    total = sum(s.count for s in found)
    answered = sum(s.answered for s in found)
    return Report(
        "enquiry-sources",
        str(TITLES["enquiry-sources"]),
        _("Enquiries received in the period through the intake, by where they came from, and "
          "the median time to their first reply."),
        [
            Table("sources", _("Sources"), _labels([
                ("source", _("Source"), "text"),
                ("count", _("Enquiries"), "int"),
                ("answered", _("Answered"), "int"),
                ("median", _("Median hours to the first reply"), "days"),
            ]), rows, {"source": _("All sources"), "count": total, "answered": answered,
                       "median": None}),
        ],
        [Chart("sources", _("Enquiries by source"), "sources", "source",
               [Series("count"), Series("answered")])],
        [],
    )  # fmt: skip


REPORTS = {
    "orders": orders_by_month,
    "funnel": funnel,
    "lost": lost_reasons,
    "receivables": receivables,
    "pareto": pareto,
    "new-repeat": new_and_repeat,
    "dormant": dormant,
    "complaints": complaints,
    "delivery": on_time_delivery,
    "enquiry-sources": enquiry_sources,
}
LISTING = {"lost", "receivables", "pareto", "dormant", "complaints", "delivery"}


def report(name: str, user, f: Filters, *, limit: int | None = LIST_LIMIT) -> Report:
    """The report called `name` as `user` may see it (KeyError for an unknown name)."""
    compute = REPORTS[name]
    return compute(user, f, limit=limit) if name in LISTING else compute(user, f)
