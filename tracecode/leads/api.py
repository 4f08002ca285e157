"""/api/leads/: order leads for programs, with the pages' forms and rules: a bad field answers
422 with the form's message, a move the lead's state does not allow 409, one the person may
not make 403, a lead the user may not see 404."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from tracecode.accounts.visibility import visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.api import Input, IsoDate, PageIn, answers
from tracecode.core.concurrency import StaleEdit
from tracecode.core.errors import ApiError

from . import services
from .forms import ConvertForm, LeadForm, PlanForm, ReasonForm, ResultForm
from .models import Lead

router = Router(tags=["leads"])

INVALID = "Some fields are not valid."


class LeadEventOut(Schema):
    action: str
    note: str
    at: datetime.datetime
    by: str | None


class LeadOut(Schema):
    code: str
    state: str = Field(description="reported, accepted, rejected, converted or lost")
    reported_on: datetime.date
    reported_by: str
    customer: str | None = Field(description="the customer's code")
    company_name: str
    country: str
    contact_name: str
    email: str
    phone: str
    source: str | None
    product: str
    details: str
    expected_value: Decimal
    currency: str
    expected_month: datetime.date
    probability: int
    assigned_to: str | None
    plan: str
    follow_up_due: datetime.date | None
    decision_note: str
    project: str | None = Field(description="the enquiry it became")
    closing_note: str
    version: int
    history: list[LeadEventOut]


class LeadListOut(Schema):
    items: list[LeadOut]
    count: int


class LeadIn(Input):
    customer: str | None = Field(None, description="an existing customer's code")
    company_name: str | None = None
    country: str | None = None
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    source: str | None = Field(None, description="a customer source's code, e.g. trade-show")
    product: str | None = None
    details: str | None = None
    expected_value: Decimal | None = None
    currency: str | None = None
    expected_month: str | None = Field(None, description="YYYY-MM")
    probability: int | None = None
    reported_on: IsoDate | None = None


class LeadPatch(LeadIn):
    version: int = Field(description="the version you read; a stale one answers 409")


class LeadPlanIn(Input):
    assigned_to: str = Field(description="a username")
    plan: str
    follow_up_due: IsoDate
    note: str = ""


class LeadReasonIn(Input):
    reason: str


class LeadResultIn(Input):
    note: str
    follow_up_due: IsoDate | None = None


class LeadConvertIn(Input):
    customer: str | None = Field(None, description="an existing customer's code")
    create_anyway: bool = False


class LeadFilters(PageIn):
    state: str | None = Field(None, description="reported, accepted, rejected, converted, lost")


def lead_dict(lead: Lead) -> dict:
    def name(user):
        return user.username if user is not None else None

    return {
        "code": lead.code,
        "state": lead.state,
        "reported_on": lead.reported_on,
        "reported_by": lead.reported_by.username,
        "customer": lead.customer.code if lead.customer_id else None,
        "company_name": lead.company_name,
        "country": lead.country,
        "contact_name": lead.contact_name,
        "email": lead.email,
        "phone": lead.phone,
        "source": lead.source.code if lead.source_id else None,
        "product": lead.product,
        "details": lead.details,
        "expected_value": lead.expected_value,
        "currency": lead.currency,
        "expected_month": lead.expected_month,
        "probability": lead.probability,
        "assigned_to": name(lead.assigned_to),
        "plan": lead.plan,
        "follow_up_due": lead.follow_up_due,
        "decision_note": lead.decision_note,
        "project": lead.project.code if lead.project_id else None,
        "closing_note": lead.closing_note,
        "version": lead.version,
        "history": [
            {"action": e.action, "note": e.note, "at": e.at, "by": name(e.by)}
            for e in lead.events.all()
        ],
    }


def _leads():
    return Lead.objects.select_related(
        "customer", "project", "reported_by", "assigned_to", "source"
    ).prefetch_related("events__by")


def _lead(request, code: str) -> Lead:
    return visible_or_404(_leads(), request.user, code=code)


def _invalid(form) -> ApiError:
    fields = {name: [e["message"] for e in errors]
              for name, errors in form.errors.get_json_data().items()}  # fmt: skip
    return ApiError(422, "validation_error", INVALID, fields)


def _refused(error) -> ApiError:
    if isinstance(error, CodingError):
        fields = {error.field: [str(error)]} if error.field else {}
        return ApiError(422, "coding_error", str(error), fields)
    fields = {error.field: [error.message]} if error.field else {}
    code = "forbidden" if error.status == 403 else "refused"
    return ApiError(error.status, code, error.message, fields)


def _form_data(payload, instance=None) -> dict:
    """The payload as the page's form receives it, over the lead's current values."""
    sent = payload.dict(exclude_unset=True)
    sent.pop("version", None)
    data = {}
    probe = LeadForm(instance=instance, user=None) if instance is not None else None
    for name in LeadForm.Meta.fields:
        if name in sent:
            value = sent[name]
        elif probe is not None:
            value = probe[name].value()
            if name == "customer" and instance.customer_id:
                value = instance.customer.code
            if name == "source" and instance.source_id:
                value = instance.source.code
            if name == "expected_month" and value:
                value = f"{instance.expected_month:%Y-%m}"
        else:
            continue
        data[name] = "" if value is None else str(value)
    return data


@router.get("/", response=answers(LeadListOut, 422), summary="The leads you may see")
def list_leads(request, filters: Query[LeadFilters]):
    leads = _leads().visible_to(request.user).order_by("-reported_on", "-pk")
    if filters.state:
        if filters.state not in Lead.State.values:
            raise ApiError(422, "validation_error", INVALID,
                           {"state": [f"One of {', '.join(Lead.State.values)}."]})  # fmt: skip
        leads = leads.filter(state=filters.state)
    count = leads.count()
    page = leads[filters.offset : filters.offset + filters.limit]
    return {"items": [lead_dict(lead) for lead in page], "count": count}


@router.post("/", response=answers({201: LeadOut}, 400, 403, 422), summary="Report a lead")
def report_lead(request, payload: LeadIn):
    if not request.user.can_write:
        raise ApiError(403, "forbidden", "Your role may not report leads.")
    form = LeadForm(_form_data(payload), user=request.user)
    if not form.is_valid():
        raise _invalid(form)
    try:
        lead = services.report_lead(form.save(commit=False), user=request.user)
    except (services.LeadRefused, CodingError) as error:
        raise _refused(error) from None
    return Status(201, lead_dict(_lead(request, lead.code)))


@router.get("/{code}", response=answers(LeadOut, 404, 422), summary="One lead with its history")
def get_lead(request, code: str):
    return lead_dict(_lead(request, code))


@router.patch(
    "/{code}",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Change a lead (its reporter, until evaluated)",
)
def update_lead(request, code: str, payload: LeadPatch):
    lead = _lead(request, code)
    if not services.may_edit(request.user, lead):
        raise ApiError(403, "forbidden", f"Lead {lead.code} is no longer changed by you.")
    form = LeadForm(_form_data(payload, lead), instance=lead, user=request.user)
    form.fields.pop("version", None)
    if not form.is_valid():
        raise _invalid(form)
    try:
        services.save_lead(form.instance, user=request.user, version=payload.version,
                           fields=form.model_fields)  # fmt: skip
    except StaleEdit as error:
        raise ApiError(409, "conflict", "Someone else saved this lead since you read it (now "
                       f"version {error.current.version}).") from None  # fmt: skip
    except services.LeadRefused as error:
        raise _refused(error) from None
    return lead_dict(_lead(request, code))


def _move(request, code: str, action: str, form_class, data: dict, call) -> dict:
    lead = _lead(request, code)
    kwargs = {"user": request.user} if form_class is ConvertForm else {}
    form = form_class({k: "" if v is None else v for k, v in data.items()}, **kwargs)
    if not form.is_valid():
        raise _invalid(form)
    if not services.may(request.user, lead, action):
        raise ApiError(403, "forbidden", f"You may not do this with lead {lead.code}.")
    try:
        call(lead, form.cleaned_data)
    except (services.LeadRefused, CodingError) as error:
        raise _refused(error) from None
    return lead_dict(_lead(request, code))


@router.post(
    "/{code}/accept",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Accept a lead and plan its follow-up",
)
def accept(request, code: str, payload: LeadPlanIn):
    return _move(request, code, "accept", PlanForm, payload.dict(), lambda lead, d: (
        services.accept(lead, user=request.user, assigned_to=d["assigned_to"], plan=d["plan"],
                        follow_up_due=d["follow_up_due"], note=d.get("note", ""))))  # fmt: skip


@router.post(
    "/{code}/reject",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Reject a lead, with the reason",
)
def reject(request, code: str, payload: LeadReasonIn):
    return _move(request, code, "reject", ReasonForm, payload.dict(), lambda lead, d: (
        services.reject(lead, user=request.user, reason=d["reason"])))  # fmt: skip


@router.post(
    "/{code}/plan",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Plan the follow-up again",
)
def plan(request, code: str, payload: LeadPlanIn):
    return _move(request, code, "plan", PlanForm, payload.dict(), lambda lead, d: (
        services.plan(lead, user=request.user, assigned_to=d["assigned_to"], plan=d["plan"],
                      follow_up_due=d["follow_up_due"])))  # fmt: skip


@router.post(
    "/{code}/results",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Record what a follow-up brought",
)
def result(request, code: str, payload: LeadResultIn):
    return _move(request, code, "result", ResultForm, payload.dict(), lambda lead, d: (
        services.record_result(lead, user=request.user, note=d["note"],
                               follow_up_due=d.get("follow_up_due"))))  # fmt: skip


@router.post(
    "/{code}/convert",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Make the lead an enquiry",
)
def convert(request, code: str, payload: LeadConvertIn):
    return _move(request, code, "convert", ConvertForm, payload.dict(), lambda lead, d: (
        services.convert(lead, user=request.user, customer=d.get("customer"),
                         create_anyway=d.get("create_anyway", False))))  # fmt: skip


@router.post(
    "/{code}/lose",
    response=answers(LeadOut, 400, 403, 404, 409, 422),
    summary="Close the lead as lost",
)
def lose(request, code: str, payload: LeadReasonIn):
    return _move(request, code, "lose", ReasonForm, payload.dict(), lambda lead, d: (
        services.lose(lead, user=request.user, reason=d["reason"])))  # fmt: skip
