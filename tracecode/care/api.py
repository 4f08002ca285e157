"""/api/care/: credit control, key accounts and sheet reviews for programs, with the pages'
forms and rules. A customer or order the user may not see is 404; recording a credit review
or a release without the credit control right is 403, naming key accounts without being a
manager too; a release of an order that is not blocked (or already confirmed) is 409.

Confirming an order credit control refuses answers, at /api/sales/orders/{code}/moves/confirm,
409 `credit_blocked` with the figures in `fields` (exposure, credit_limit, headroom …)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import INVALID, Input, Pagination, answers
from tracecode.core.errors import ApiError
from tracecode.customers.forms import staff
from tracecode.customers.models import Customer
from tracecode.sales.models import Complaint, Order

from . import complaints, credit, services, surveys
from .forms import (
    AssessmentForm,
    KeyAccountForm,
    PlanForm,
    ReleaseForm,
    ReviewForm,
    StepForm,
    VisitForm,
)
from .models import CauseCategory, KeyAccount, Survey, Visit

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


# Key accounts ----------------------------------------------------------------------------


class AccountPlanOut(Schema):
    year: int
    goals: str
    actions: str
    progress: str
    percent_done: int
    updated_by: str
    updated_at: datetime.datetime


class VisitOut(Schema):
    customer: str
    kind: str = Field(description="visit or return")
    date: datetime.date
    purpose: str
    outcome: str
    visited_by: str


class KeyAccountOut(Schema):
    customer: str
    owner: str
    visit_weeks: int
    return_visit_weeks: int
    since: datetime.date
    last_visit: datetime.date | None
    next_visit_due: datetime.date
    last_return_visit: datetime.date | None
    next_return_visit_due: datetime.date
    plans: list[AccountPlanOut] = Field(description="newest year first")
    visits: list[VisitOut] = Field(description="newest first")


class VisitDueOut(Schema):
    customer: str
    company_name: str
    next_visit_due: datetime.date
    next_return_visit_due: datetime.date


class KeyAccountIn(Input):
    owner: str = Field(description="a username")
    visit_weeks: int = 12
    return_visit_weeks: int = 4


class AccountPlanIn(Input):
    goals: str
    actions: str
    progress: str = ""
    percent_done: int = 0


class VisitIn(Input):
    kind: str = Field("visit", description="visit or return")
    date: datetime.date | None = Field(None, description="default today")
    purpose: str
    outcome: str = ""


def plan_dict(plan) -> dict:
    return {
        "year": plan.year,
        "goals": plan.goals,
        "actions": plan.actions,
        "progress": plan.progress,
        "percent_done": plan.percent_done,
        "updated_by": _name(plan.updated_by),
        "updated_at": plan.updated_at,
    }


def visit_dict(visit) -> dict:
    return {
        "customer": visit.entry.customer.code,
        "kind": visit.kind,
        "date": visit.entry.date,
        "purpose": visit.purpose,
        "outcome": visit.outcome,
        "visited_by": _name(visit.visited_by),
    }


def account_dict(account) -> dict:
    rhythm = services.rhythm(account)
    visits = Visit.objects.filter(entry__customer=account.customer).select_related(
        "entry__customer", "visited_by"
    )
    return {
        "customer": account.customer.code,
        "owner": _name(account.owner),
        "visit_weeks": account.visit_weeks,
        "return_visit_weeks": account.return_visit_weeks,
        "since": account.since,
        "last_visit": rhythm.last_visit,
        "next_visit_due": rhythm.next_visit,
        "last_return_visit": rhythm.last_return,
        "next_return_visit_due": rhythm.next_return,
        "plans": [plan_dict(p) for p in account.plans.select_related("updated_by")],
        "visits": [visit_dict(v) for v in visits],
    }


def _account(request, code: str) -> KeyAccount:
    customer = _customer(request, code)
    account = KeyAccount.objects.filter(customer=customer).select_related("customer", "owner")
    if not account.exists():
        raise ApiError(404, "not_found", "Not a key account.")
    return account.get()


def _may_change(request, customer) -> None:
    if not services.may_change(request.user, customer):
        raise ApiError(403, "forbidden", "You may not change this customer.")


@router.get(
    "/accounts/visits-due",
    response=answers(list[VisitDueOut], 422),
    summary="Your key accounts whose visit or return visit is due or overdue",
)
@paginate(Pagination)
def list_visits_due(request):
    return [
        {
            "customer": r.account.customer.code,
            "company_name": r.account.customer.company_name,
            "next_visit_due": r.next_visit,
            "next_return_visit_due": r.next_return,
        }
        for r in services.visits_due(request.user)
    ]


@router.get(
    "/accounts/{code}",
    response=answers(KeyAccountOut, 404, 422),
    summary="A key account: owner, rhythm, plans and visits",
)
def get_account(request, code: str):
    return account_dict(_account(request, code))


@router.put(
    "/accounts/{code}",
    response=answers(KeyAccountOut, 400, 403, 404, 422),
    summary="Make the customer a key account, or change its owner and rhythm (managers)",
)
def put_account(request, code: str, payload: KeyAccountIn):
    customer = _customer(request, code)
    if not services.may_designate(request.user):
        raise ApiError(403, "forbidden", "Only a manager names key accounts.")
    owner = staff().filter(username=payload.owner).first()
    data = {**payload.dict(), "owner": owner.pk if owner else None}
    form = KeyAccountForm(data=data)
    if not form.is_valid():
        raise form_errors(form)
    try:
        account = services.designate(customer, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise ApiError(422, "validation_error", INVALID, error.message_dict) from None
    return account_dict(account)


@router.put(
    "/accounts/{code}/plans/{year}",
    response=answers(AccountPlanOut, 400, 403, 404, 422),
    summary="Write the key account's plan for a year (goals, actions, progress)",
)
def put_plan(request, code: str, year: int, payload: AccountPlanIn):
    account = _account(request, code)
    _may_change(request, account.customer)
    form = PlanForm(data={**payload.dict(), "year": year})
    if not form.is_valid():
        raise form_errors(form)
    values = dict(form.cleaned_data)
    plan = services.save_plan(account, user=request.user, year=values.pop("year"), values=values)
    return plan_dict(plan)


@router.post(
    "/visits/{code}",
    response=answers({201: VisitOut}, 400, 403, 404, 422),
    summary="Record a visit or return visit to the customer in its communication log",
)
def create_visit(request, code: str, payload: VisitIn):
    customer = _customer(request, code)
    _may_change(request, customer)
    data = payload.dict()
    data["date"] = data["date"] or timezone.localdate()
    form = VisitForm(data=data)
    if not form.is_valid():
        raise form_errors(form)
    visit = services.record_visit(customer, user=request.user, **form.cleaned_data)
    return Status(201, visit_dict(visit))


# The archive kept current ----------------------------------------------------------------


class SheetReviewOut(Schema):
    customer: str
    reviewed_by: str
    reviewed_at: datetime.datetime
    note: str
    next_due: datetime.date


class ReviewDueOut(Schema):
    customer: str
    company_name: str
    owner: str
    review_due: datetime.date


class SheetReviewsOut(Schema):
    customer: str
    review_due: datetime.date
    reviews: list[SheetReviewOut] = Field(description="newest first")


class SheetReviewIn(Input):
    note: str = ""
    next_due: datetime.date | None = Field(None, description="default: in twelve months")


def review_dict(review) -> dict:
    return {
        "customer": review.customer.code,
        "reviewed_by": _name(review.reviewed_by),
        "reviewed_at": review.reviewed_at,
        "note": review.note,
        "next_due": review.next_due,
    }


@router.get(
    "/reviews/due",
    response=answers(list[ReviewDueOut], 422),
    summary="Sheets you may see not reviewed for twelve months (or due earlier), oldest first",
)
@paginate(Pagination)
def list_reviews_due(request):
    return [
        {"customer": c.code, "company_name": c.company_name, "owner": _name(c.owner),
         "review_due": due}
        for c, due in services.sheets_due(request.user)
    ]  # fmt: skip


@router.get(
    "/reviews/{code}",
    response=answers(SheetReviewsOut, 404, 422),
    summary="When the customer's sheet is due for review, and who reviewed it when",
)
def get_reviews(request, code: str):
    customer = _customer(request, code)
    reviews = customer.sheet_reviews.select_related("customer", "reviewed_by")
    return {
        "customer": customer.code,
        "review_due": services.review_due(customer),
        "reviews": [review_dict(r) for r in reviews],
    }


@router.post(
    "/reviews/{code}",
    response=answers({201: SheetReviewOut}, 400, 403, 404, 422),
    summary="Record that you reviewed the customer's sheet and found it current",
)
def create_review(request, code: str, payload: SheetReviewIn):
    customer = _customer(request, code)
    _may_change(request, customer)
    form = ReviewForm(data={k: v for k, v in payload.dict().items() if v is not None})
    if not form.is_valid():
        raise form_errors(form)
    try:
        review = services.review_sheet(customer, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise ApiError(422, "validation_error", INVALID, error.message_dict) from None
    return Status(201, review_dict(review))


# Complaints handled to the end -----------------------------------------------------------


class CauseCategoryOut(Schema):
    name: str
    name_zh: str


class ComplaintStepOut(Schema):
    step: str = Field(description="content, analysis, corrective, told, preventive, verified")
    text: str
    told_on: datetime.date | None
    told_how: str
    by: str
    at: datetime.datetime


class ComplaintHandlingOut(Schema):
    complaint: str
    order: str
    severity: str
    part_number: str
    category: str | None = Field(description="the cause category's name")
    steps: list[ComplaintStepOut]
    next_step: str | None = Field(description="the step to record now; null when all are done")
    closed_on: datetime.date | None
    recurrence_of: list[str] = Field(description="earlier complaints it repeats (12 months)")


class ComplaintStepIn(Input):
    text: str
    part_number: str | None = Field(None, description="content step: the part concerned")
    category: str | None = Field(None, description="analysis step: a cause category's name")
    told_on: datetime.date | None = Field(None, description="told step: when")
    told_how: str | None = Field(None, description="told step: mail, call, meeting or report")


def step_dict(step) -> dict:
    return {
        "step": step.step,
        "text": step.text,
        "told_on": step.told_on,
        "told_how": step.told_how,
        "by": _name(step.by),
        "at": step.at,
    }


def handling_dict(complaint) -> dict:
    handling = complaints.handling_of(complaint)
    upcoming = complaints.next_step(handling)
    return {
        "complaint": complaint.number,
        "order": complaint.order.code,
        "severity": complaint.severity,
        "part_number": handling.part_number,
        "category": handling.category.name if handling.category else None,
        "steps": [step_dict(s) for s in handling.steps.select_related("by")],
        "next_step": upcoming.step if upcoming else None,
        "closed_on": complaint.closed_on,
        "recurrence_of": [c.number for c in complaints.recurrences(complaint)],
    }


def _complaint(request, number: str) -> Complaint:
    return visible_or_404(
        Complaint.objects.select_related("order__project__customer"), request.user, number=number
    )


@router.get(
    "/cause-categories",
    response=answers(list[CauseCategoryOut], 422),
    summary="The cause categories complaints are classed by (kept by the administrator)",
)
@paginate(Pagination)
def list_cause_categories(request):
    return CauseCategory.objects.filter(active=True)


@router.get(
    "/complaints/{number}",
    response=answers(ComplaintHandlingOut, 404, 422),
    summary="How a complaint is handled: its steps with who and when, the next, recurrences",
)
def get_complaint(request, number: str):
    return handling_dict(_complaint(request, number))


@router.post(
    "/complaints/{number}/steps/{step}",
    response=answers({201: ComplaintStepOut}, 400, 403, 404, 409, 422),
    summary="Record the next step of a complaint's handling; 409 out of order",
)
def create_complaint_step(request, number: str, step: str, payload: ComplaintStepIn):
    complaint = _complaint(request, number)
    if not complaints.may_handle(request.user, complaint):
        raise ApiError(403, "forbidden", "You may not change this complaint.")
    if step not in complaints.RULES:
        raise ApiError(404, "not_found", "There is no such step.")
    form = StepForm(data={k: v for k, v in payload.dict().items() if v is not None}, step=step)
    if not form.is_valid():
        raise form_errors(form)
    try:
        recorded = complaints.record_step(complaint, step, user=request.user, **form.cleaned_data)
    except complaints.StepRefused as error:
        raise ApiError(409, error.code, error.message) from None
    except ValidationError as error:
        raise ApiError(422, "validation_error", INVALID, error.message_dict) from None
    return Status(201, step_dict(recorded))


@router.get(
    "/complaints/{number}/8d.pdf",
    response=answers({200: None}, 404, 422),
    summary="The complaint's 8D report as PDF, headings in English and Chinese",
)
def get_complaint_report(request, number: str):
    complaint = _complaint(request, number)
    response = HttpResponse(complaints.report_pdf(complaint), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="8D-{complaint.number}.pdf"'
    return response


# Satisfaction surveys --------------------------------------------------------------------


class SurveyAnswerOut(Schema):
    question: str = Field(description="in English")
    rating: int | None
    text: str


class SurveyOut(Schema):
    order: str
    customer: str
    email: str
    sent_at: datetime.datetime
    expires_at: datetime.datetime
    reminded_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    rating: Decimal | None = Field(description="the average of its 1–5 ratings")
    answers: list[SurveyAnswerOut]


class SurveyReportOut(Schema):
    month: str = Field(description="YYYY-MM of the answers")
    customer: str
    company_name: str
    salesperson: str
    answers: int
    average: Decimal


def survey_dict(survey) -> dict:
    return {
        "order": survey.order.code,
        "customer": survey.order.project.customer.code,
        "email": survey.email,
        "sent_at": survey.sent_at,
        "expires_at": survey.expires_at,
        "reminded_at": survey.reminded_at,
        "answered_at": survey.answered_at,
        "rating": survey.rating,
        "answers": [
            {"question": a.question.text_en, "rating": a.rating, "text": a.text}
            for a in survey.answers.all()
        ],
    }


@router.get(
    "/surveys",
    response=answers(list[SurveyOut], 422),
    summary="Satisfaction surveys of the orders you may see, newest first",
)
@paginate(Pagination)
def list_surveys(request, customer: str = ""):
    rows = Survey.objects.visible_to(request.user).select_related("order__project__customer")
    if customer:
        rows = rows.filter(order__project__customer__code=customer)
    return [survey_dict(s) for s in rows.prefetch_related("answers__question")]


@router.get(
    "/surveys/report",
    response=answers(list[SurveyReportOut], 422),
    summary="Average survey rating per month, customer and salesperson",
)
@paginate(Pagination)
def survey_report(request):
    return surveys.report(request.user)


@router.post(
    "/orders/{code}/survey",
    response=answers({201: SurveyOut}, 403, 404, 409, 422),
    summary="Mail a satisfaction survey about the order now; 409 without template or address",
)
def send_survey(request, code: str):
    order = visible_or_404(Order.objects.select_related("project__customer"), request.user,
                           code=code)  # fmt: skip
    _may_change(request, order.project.customer)
    try:
        survey = surveys.send(order)
    except ValidationError as error:
        raise ApiError(409, "no_survey", " ".join(error.messages)) from None
    except OSError as error:
        raise ApiError(409, "mail_not_sent", f"The mail server refused: {error}") from None
    return Status(201, survey_dict(survey))
