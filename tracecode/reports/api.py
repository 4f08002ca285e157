"""/api/reports/: the numbers of the home page, the reports and plan against result, from the
same functions as the pages (figures.py), with the same filters and the same refusals."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from ninja import Field, Query, Router, Schema, Status

from tracecode.core.api import Input, IsoDate, answers
from tracecode.core.errors import ApiError

from . import figures, services
from .forms import ReportFilterForm
from .models import MonthClose, Target

router = Router(tags=["reports"])

INVALID = "Some fields are not valid."


class ReportFilters(Schema):
    date_from: IsoDate | None = Field(None, description="default: 11 months back, 1st")
    date_to: IsoDate | None = Field(None, description="default: today")
    salesperson: str | None = Field(None, description="a username: that person's customers")
    market: str | None = Field(None, description="domestic or international")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2")
    industry: str | None = Field(None, description="an industry's code")
    currency: str | None = Field(None, description="only records in this currency (ISO 4217)")
    months: int | None = Field(None, description="quiet customers: months without contact/order")
    limit: int = Field(figures.LIST_LIMIT, ge=1, le=100_000, description="rows of a list")


class ReportColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(description="text, code, int, money, percent, days, date or month")


class ReportTableOut(Schema):
    key: str
    title: str
    columns: list[ReportColumnOut]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None
    count: int | None = Field(description="all rows there are, when `rows` holds the first ones")


class ReportDatasetOut(Schema):
    label: str
    column: str
    kind: str
    axis: str
    format: str
    data: list[float | int | None]


class ReportChartOut(Schema):
    key: str
    title: str
    type: str
    table: str
    label_column: str
    stacked: bool
    horizontal: bool
    labels: list[str]
    datasets: list[ReportDatasetOut]


class ReportOut(Schema):
    name: str
    title: str
    description: str
    base_currency: str
    filters: dict[str, Any]
    tables: list[ReportTableOut]
    charts: list[ReportChartOut]
    notes: list[str]


class ReportListItemOut(Schema):
    name: str
    title: str
    url: str


class ThisMonthOut(Schema):
    value: Decimal
    target: Decimal | None
    rate: Decimal | None = Field(description="percent of the target reached")


class DashboardOut(Schema):
    team: bool = Field(description="a manager's view of everyone; else the user's customers")
    month: datetime.date
    open_enquiries: int
    open_quotations: int
    follow_ups_due: int
    to_ship_in_14_days: int
    overdue_orders: int
    overdue_total: Decimal = Field(description="in the base currency")
    this_month: ThisMonthOut
    leads_to_evaluate: int
    base_currency: str
    tables: list[ReportTableOut]
    charts: list[ReportChartOut]


class TargetIn(Input):
    order_value: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    new_customers: int = Field(ge=0, le=10_000)
    leads_followed: int = Field(ge=0, le=10_000)


class TargetOut(Schema):
    salesperson: str
    month: datetime.date
    order_value: Decimal
    new_customers: int
    leads_followed: int


class MonthCloseOut(Schema):
    month: datetime.date
    closed_by: str
    closed_at: datetime.datetime
    base_currency: str
    rows: list[dict[str, Any]]


def _tables(tables) -> list[dict]:
    return [
        {
            "key": t.key,
            "title": str(t.title),
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in t.columns],
            "rows": [_plain(row) for row in t.rows],
            "total": _plain(t.total) if t.total else None,
            "count": t.count,
        }
        for t in tables
    ]


def _plain(row: dict) -> dict:
    return {k: str(v) if isinstance(v, Promise) else v for k, v in row.items()}


def report_dict(report: figures.Report, f: figures.Filters | None) -> dict:
    return {
        "name": report.name,
        "title": str(report.title),
        "description": str(report.description),
        "base_currency": settings.BASE_CURRENCY,
        "filters": f.as_dict() if f is not None else {},
        "tables": _tables(report.tables),
        "charts": [figures.chart_data(report.tables, c) for c in report.charts],
        "notes": [str(n) for n in report.notes],
    }


def _filters(params: ReportFilters) -> figures.Filters:
    data = {k: v for k, v in params.dict().items() if v is not None and k != "limit"}
    form = ReportFilterForm({k: str(v) for k, v in data.items()})
    if not form.is_valid():
        fields = {name: [e["message"] for e in errors]
                  for name, errors in form.errors.get_json_data().items()}  # fmt: skip
        raise ApiError(422, "validation_error", INVALID, fields)
    return form.filters()


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise ApiError(
            422, "validation_error", INVALID, {"month": ["Give the month as YYYY-MM."]}
        ) from None


def _refusals(error: services.PlanRefused):
    fields = {error.field: [error.message]} if error.field else {}
    code = "forbidden" if error.status == 403 else "refused"
    return ApiError(error.status, code, error.message, fields)


@router.get("/", response=answers(list[ReportListItemOut]), summary="The reports there are")
def report_list(request):
    return [{"name": name, "title": str(title), "url": f"/api/reports/{name}"}
            for name, title in figures.TITLES.items()]  # fmt: skip


@router.get("/dashboard", response=answers(DashboardOut), summary="The home page's figures")
def dashboard(request):
    board = figures.dashboard(request.user)
    month = board.this_month
    return {
        "team": board.team,
        "month": board.month,
        "open_enquiries": board.open_enquiries,
        "open_quotations": board.open_quotations,
        "follow_ups_due": board.follow_ups_due_count,
        "to_ship_in_14_days": board.to_ship_count,
        "overdue_orders": board.overdue_count,
        "overdue_total": board.overdue_total,
        "this_month": month,
        "leads_to_evaluate": board.leads_to_evaluate,
        "base_currency": settings.BASE_CURRENCY,
        "tables": _tables(board.tables),
        "charts": [figures.chart_data(board.tables, c) for c in board.charts],
    }


@router.get(
    "/plan/{month}", response=answers(ReportOut, 422), summary="Plan against result of a month"
)
def plan(request, month: str):
    day = _month(month)
    return report_dict(figures.plan_against_result(request.user, day), None)


@router.get(
    "/targets/{month}", response=answers(list[TargetOut], 422), summary="The targets of a month"
)
def targets(request, month: str):
    day = _month(month)
    rows = Target.objects.filter(month=day).select_related("salesperson")
    if not request.user.sees_everything:
        rows = rows.filter(salesperson=request.user)
    return [_target(t) for t in rows]


def _target(target: Target) -> dict:
    return {
        "salesperson": target.salesperson.username,
        "month": target.month,
        "order_value": target.order_value,
        "new_customers": target.new_customers,
        "leads_followed": target.leads_followed,
    }


@router.put(
    "/targets/{month}/{username}",
    response=answers(TargetOut, 400, 403, 404, 409, 422),
    summary="Set a target",
)
def set_target(request, month: str, username: str, payload: TargetIn):
    day = _month(month)
    if not (request.user.can_write and request.user.sees_everything):
        raise ApiError(403, "forbidden", "Only a manager sets targets.")
    person = get_object_or_404(get_user_model(), username=username)
    try:
        target = services.set_target(person, day, user=request.user, **payload.dict())
    except services.PlanRefused as error:
        raise _refusals(error) from None
    return _target(target)


@router.post(
    "/plan/{month}/close",
    response=answers({201: MonthCloseOut}, 403, 409, 422),
    summary="Close a month",
)
def close(request, month: str):
    day = _month(month)
    try:
        closed = services.close_month(day, user=request.user)
    except services.PlanRefused as error:
        raise _refusals(error) from None
    return Status(201, _closed(closed))


def _closed(closed: MonthClose) -> dict:
    return {
        "month": closed.month,
        "closed_by": closed.closed_by.username,
        "closed_at": closed.closed_at,
        "base_currency": closed.base_currency,
        "rows": closed.rows,
    }


@router.get("/{name}", response=answers(ReportOut, 404, 422), summary="One report, filtered")
def one_report(request, name: str, params: Query[ReportFilters]):
    if name not in figures.REPORTS:
        raise ApiError(404, "not_found", "Not found.")
    f = _filters(params)
    result = figures.report(name, request.user, f, limit=params.limit)
    return report_dict(result, f)
