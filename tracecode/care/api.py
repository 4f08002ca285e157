"""/api/care/: credit control for programs, with the pages' forms and rules. A customer or
order the user may not see is 404; recording a review or a release without the credit
control right is 403; a release of an order that is not blocked (or already confirmed) 409.

Confirming an order credit control refuses answers, at /api/sales/orders/{code}/moves/confirm,
409 `credit_blocked` with the figures in `fields` (exposure, credit_limit, headroom …)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import INVALID, Input, answers
from tracecode.core.errors import ApiError
from tracecode.customers.models import Customer
from tracecode.sales.models import Order

from . import credit
from .forms import AssessmentForm, ReleaseForm

router = Router(tags=["care"])


class OverdueOut(Schema):
    order: str = Field(description="the order's code (its invoice's number)")
    due: datetime.date
    days: int
    balance: str = Field(description="in the order's currency")


class CreditAssessmentOut(Schema):
    financial_state: str
    credit_record: str
    background: str
    level: str
    limit: Decimal | None
    payment_terms: str
    reviewed_on: datetime.date
    reviewed_by: str
    next_review_on: datetime.date | None


class CreditReleaseOut(Schema):
    order: str
    reason: str
    order_total: Decimal
    exposure: Decimal
    limit: Decimal | None
    overdue: int
    released_by: str
    released_at: datetime.datetime


class BlockedOrderOut(Schema):
    order: str
    total: Decimal
    currency: str
    problems: list[str]
    released: bool


class CreditOut(Schema):
    customer: str
    currency: str = Field(description="the base currency of every amount below")
    credit_level: str
    credit_limit: Decimal | None = Field(description="null: no limit is checked")
    open_receivables: Decimal
    confirmed_not_invoiced: Decimal
    exposure: Decimal
    headroom: Decimal | None
    overdue: list[OverdueOut]
    unconverted_currencies: list[str]
    assessments: list[CreditAssessmentOut] = Field(description="newest first")
    blocked: list[BlockedOrderOut]
    releases: list[CreditReleaseOut]
    may_control: bool = Field(description="whether you may record reviews and releases")


class CreditAssessmentIn(Input):
    financial_state: str = ""
    credit_record: str = ""
    background: str = ""
    level: str = Field(description="A, B, C or D")
    limit: Decimal | None = Field(None, description="in the base currency; null: no limit")
    payment_terms: str = ""
    reviewed_on: datetime.date | None = Field(None, description="default today")
    next_review_on: datetime.date | None = None


class CreditReleaseIn(Input):
    reason: str


def _name(user) -> str:
    return user.username if user is not None else ""


def assessment_dict(a) -> dict:
    return {
        "financial_state": a.financial_state,
        "credit_record": a.credit_record,
        "background": a.background,
        "level": a.level,
        "limit": a.limit,
        "payment_terms": a.payment_terms,
        "reviewed_on": a.reviewed_on,
        "reviewed_by": _name(a.reviewed_by),
        "next_review_on": a.next_review_on,
    }


def release_dict(r) -> dict:
    return {
        "order": r.order.code,
        "reason": r.reason,
        "order_total": r.order_total,
        "exposure": r.exposure,
        "limit": r.limit,
        "overdue": r.overdue,
        "released_by": _name(r.released_by),
        "released_at": r.released_at,
    }


def credit_dict(request, customer) -> dict:
    figures = credit.exposure_of(customer)
    releases = credit.CreditRelease.objects.filter(order__project__customer=customer)
    return {
        "customer": customer.code,
        "currency": figures.currency,
        "credit_level": customer.credit_level,
        "credit_limit": figures.limit,
        "open_receivables": figures.receivables,
        "confirmed_not_invoiced": figures.not_invoiced,
        "exposure": figures.total,
        "headroom": figures.headroom,
        "overdue": [
            {"order": o.code, "due": o.due, "days": o.days, "balance": o.balance}
            for o in figures.overdue
        ],
        "unconverted_currencies": sorted(figures.unconverted),
        "assessments": [
            assessment_dict(a) for a in customer.credit_assessments.select_related("reviewed_by")
        ],
        "blocked": [
            {
                "order": order.code,
                "total": order.total,
                "currency": order.currency,
                "problems": exposure.problems(),
                "released": release is not None,
            }
            for order, exposure, release in credit.blocked_orders(customer)
        ],
        "releases": [release_dict(r) for r in releases.select_related("order", "released_by")],
        "may_control": credit.may_control(request.user, customer),
    }


def form_errors(form) -> ApiError:
    fields = {name: [e["message"] for e in errors]
              for name, errors in form.errors.get_json_data().items()}  # fmt: skip
    return ApiError(422, "validation_error", INVALID, fields)


def _customer(request, code: str) -> Customer:
    return visible_or_404(Customer.objects.all(), request.user, code=code)


@router.get(
    "/credit/{code}",
    response=answers(CreditOut, 404, 422),
    summary="A customer's credit: exposure, headroom, reviews, blocked orders, releases",
)
def get_credit(request, code: str):
    return credit_dict(request, _customer(request, code))


@router.post(
    "/credit/{code}/assessments",
    response=answers({201: CreditAssessmentOut}, 400, 403, 404, 422),
    summary="Record a credit review; its level and limit become the customer's",
)
def create_assessment(request, code: str, payload: CreditAssessmentIn):
    customer = _customer(request, code)
    if not credit.may_control(request.user, customer):
        raise ApiError(403, "forbidden", "Only a manager or a credit controller may do this.")
    data = {name: value for name, value in payload.dict().items() if value is not None}
    data.setdefault("reviewed_on", timezone.localdate())
    form = AssessmentForm(data=data)
    if not form.is_valid():
        raise form_errors(form)
    assessment = credit.assess(customer, user=request.user, values=form.cleaned_data)
    return Status(201, assessment_dict(assessment))


@router.post(
    "/orders/{code}/release",
    response=answers({201: CreditReleaseOut}, 400, 403, 404, 409, 422),
    summary="Release an order credit control blocks, with the reason; 409 when not blocked",
)
def release_order(request, code: str, payload: CreditReleaseIn):
    order = visible_or_404(Order.objects.select_related("project__customer"), request.user,
                           code=code)  # fmt: skip
    if not credit.may_control(request.user, order.project.customer):
        raise ApiError(403, "forbidden", "Only a manager or a credit controller may do this.")
    form = ReleaseForm(data=payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    try:
        release = credit.release(order, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        raise ApiError(409, "not_blocked", " ".join(error.messages)) from None
    return Status(201, release_dict(release))
