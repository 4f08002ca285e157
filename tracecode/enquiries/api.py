"""Intake API (router mounted at /api/enquiries/): the queue, an enquiry from a mail or a
chat message, the website form's submission, accept, reject, assign, rules, figures.

The same services and forms as the pages, the same permissions: an enquiry one may not see
is 404 (a salesperson sees those assigned to them and those of their customers).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from tracecode.accounts.throttle import client_address
from tracecode.accounts.visibility import visible_or_404
from tracecode.codes.services import CodingError
from tracecode.core.api import Input, IsoDate, PageIn, answers
from tracecode.core.errors import ApiError
from tracecode.customers.forms import staff
from tracecode.customers.models import Industry
from tracecode.mail import services as mail_services
from tracecode.mail.defaults import ACKNOWLEDGEMENT
from tracecode.mail.models import ChatMessage, MailMessage
from tracecode.mail.services import compose

from . import services
from .forms import IntakeForm, SubmissionForm
from .models import AssignmentRule, Enquiry

router = Router(tags=["enquiries"])


class FileOut(Schema):
    id: int
    filename: str
    size: int
    url: str


class EnquiryOut(Schema):
    id: int
    source: str
    status: str
    received_at: datetime.datetime
    company_name: str
    contact_name: str
    email: str
    phone: str
    country: str
    industry: str | None
    part_name: str
    quantity: Decimal | None
    message: str
    language: str
    assigned_to: str | None
    assigned_at: datetime.datetime | None
    customer: str | None
    project: str | None
    decided_by: str | None
    decided_at: datetime.datetime | None
    reject_reason: str
    first_reply_at: datetime.datetime | None
    response_hours: float | None
    overdue: bool
    mail: int | None
    chat_message: int | None
    files: list[FileOut]
    url: str


class EnquiryPage(Schema):
    items: list[EnquiryOut]
    count: int


class EnquiryDuplicateOut(Schema):
    code: str
    company_name: str
    reasons: list[str]


class OfferedOut(Schema):
    key: str
    name: str
    size: int | None
    document_type: str


class ProposalOut(Schema):
    source: str
    received_at: datetime.datetime
    new_customer: dict
    contact: dict
    project: dict
    customer: str | None
    duplicates: list[EnquiryDuplicateOut]
    files: list[OfferedOut]
    language: str
    earlier: list[int]


class FileChoiceIn(Input):
    key: str
    document_type: str = ""


class IntakeIn(Input):
    """Left out: what the proposal (`GET` on the same address) says."""

    customer: str | None = None  # an existing customer's code; none: a new customer
    new_customer: dict[str, str] = {}
    confirm_duplicates: bool = False
    contact: dict[str, str] = {}
    project: dict[str, str] = {}
    files: list[FileChoiceIn] | None = None
    whole_thread: bool = True
    language: str | None = None
    send_acknowledgement: bool = False


class StoredOut(Schema):
    id: int
    name: str
    document_type: str


class Refused(Schema):
    name: str
    messages: list[str]


class AcknowledgementOut(Schema):
    sent: bool
    mail: int | None
    draft: int | None
    problem: str
    to: list[str]
    cc: list[str]
    subject: str
    body: str
    in_reply_to: str


class AcceptedOut(Schema):
    enquiry: EnquiryOut
    customer: str
    project: str
    stored: list[StoredOut]
    refused: list[Refused]
    filed: list[int]
    acknowledgement: AcknowledgementOut


class RejectIn(Input):
    reason: str


class AssignIn(Input):
    assigned_to: str


class SubmittedOut(Schema):
    received: bool
    refused: list[Refused]


class RuleOut(Schema):
    id: int
    kind: str
    country: str
    industry: str | None
    assignee: str
    position: int
    active: bool


class RuleIn(Input):
    kind: str = Field(description="country or industry")
    country: str = Field("", max_length=2, description="two letters (kind country)")
    industry: str | None = Field(None, description="an industry's code (kind industry)")
    assignee: str = Field(description="a sales person's or manager's user name")
    position: int = Field(100, ge=0, le=32767, description="lower rules are tried first")
    active: bool = True


class FormOut(Schema):
    enabled: bool
    url: str
    frame_ancestors: list[str]


class FormIn(Input):
    enabled: bool


class FiguresOut(Schema):
    source: str
    label: str
    count: int
    answered: int
    median_hours: Decimal | None


def _name(user) -> str | None:
    return user.username if user is not None else None


def enquiry_out(enquiry: Enquiry) -> dict:
    response = enquiry.response_time
    return {
        **{
            f: getattr(enquiry, f)
            for f in (
                "id",
                "source",
                "status",
                "received_at",
                "company_name",
                "contact_name",
                "email",
                "phone",
                "country",
                "part_name",
                "quantity",
                "message",
                "language",
                "assigned_at",
                "decided_at",
                "reject_reason",
                "first_reply_at",
            )
        },  # fmt: skip
        "industry": enquiry.industry.code if enquiry.industry_id else None,
        "assigned_to": _name(enquiry.assigned_to),
        "decided_by": _name(enquiry.decided_by),
        "customer": enquiry.customer.code if enquiry.customer_id else None,
        "project": enquiry.project.code if enquiry.project_id else None,
        "response_hours": round(response.total_seconds() / 3600, 2) if response else None,
        "overdue": enquiry.is_overdue,
        "mail": enquiry.mail_id,
        "chat_message": enquiry.chat_message_id,
        "files": [
            {
                "id": f.pk,
                "filename": f.filename,
                "size": f.size,
                "url": reverse("enquiries:held_file", args=[enquiry.pk, f.pk]),
            }
            for f in enquiry.files.exclude(file="")
        ],  # fmt: skip
        "url": enquiry.get_absolute_url(),
    }


def _rows(user):
    return Enquiry.objects.visible_to(user).select_related(
        "industry", "assigned_to", "decided_by", "customer", "project"
    )


@router.get("/", response=answers(EnquiryPage, 422), summary="The intake queue")
def list_enquiries(
    request, page: Query[PageIn], status: str = "", source: str = "", assigned: str = "",
    overdue: bool = False,
):  # fmt: skip
    """`status`: pending, accepted, rejected; `source`: mail, web, chat; `assigned`: `me`,
    `nobody` or a user name; `overdue=true`: no reply within TRACECODE_ENQUIRY_REPLY_HOURS.
    A salesperson sees the enquiries assigned to them and those of their customers."""
    rows = _rows(request.user)
    if status:
        rows = rows.filter(status=status)
    if source:
        rows = rows.filter(source=source)
    if assigned == "me":
        rows = rows.filter(assigned_to=request.user)
    elif assigned == "nobody":
        rows = rows.filter(assigned_to__isnull=True)
    elif assigned:
        rows = rows.filter(assigned_to__username=assigned)
    if overdue:
        rows = rows.overdue()
    rows = rows.order_by("-received_at", "-pk")
    items = rows[page.offset : page.offset + page.limit]
    return {"items": [enquiry_out(e) for e in items], "count": rows.count()}


@router.get(
    "/figures", response=answers(list[FiguresOut], 422), summary="Enquiries per source, reply time"
)
def enquiry_figures(request, since: IsoDate | None = None, until: IsoDate | None = None):
    """Rejected ones are not counted; `median_hours`: the median time to the first reply."""
    return services.figures(request.user, since, until)


@router.get("/form", response=answers(FormOut), summary="The website form: on or off")
def get_form(request):
    return {
        "enabled": services.form_enabled(),
        "url": request.build_absolute_uri(reverse("enquiries:form")),
        "frame_ancestors": settings.ENQUIRY_FORM_FRAME_ANCESTORS,
    }


@router.put(
    "/form",
    response=answers(FormOut, 400, 403, 422),
    summary="Turn the website form on or off (administrators)",
)
def put_form(request, payload: FormIn):
    services.set_form_enabled(payload.enabled, user=request.user)
    return get_form(request)


@router.post(
    "/submit",
    auth=None,
    response=answers({202: SubmittedOut}, 404, 413, 422, 429, public=True),
    summary="The website form's submission",
)
def submit(request):
    """Multipart form fields as on the form (`company_name`, `contact_name`, `email`,
    `phone`, `country`, `industry`, `part_name`, `quantity`, `message`, files `drawings`);
    `website` must stay empty. No sign-in: 404 while the form is off, 429 beyond the rate
    limit. The enquiry waits with no code until a salesperson accepts it."""
    if not services.form_enabled():
        raise Http404
    form = SubmissionForm(request.POST, request.FILES)
    address = client_address(request)
    spam = bool((request.POST.get("website") or "").strip())
    try:
        services.count_submission(address, spam=spam)
    except services.RateLimited:
        message = "Too many enquiries from here: try again in an hour."
        raise ApiError(429, "rate_limited", message) from None
    if spam:
        return Status(202, {"received": True, "refused": []})
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items() if k != "token"})
    _enquiry, refused = services.submit(
        form.cleaned_data, form.cleaned_data["drawings"], address=address,
        language=request.POST.get("lang") or "en",
    )  # fmt: skip
    return Status(202, {"received": True, "refused": refused})


@router.get("/rules", response=answers(list[RuleOut], 403), summary="Assignment rules")
def list_rules(request):
    if not request.user.sees_everything:
        raise PermissionDenied
    return [_rule_out(r) for r in AssignmentRule.objects.select_related("assignee", "industry")]


def _rule_out(rule: AssignmentRule) -> dict:
    return {
        "id": rule.pk, "kind": rule.kind, "country": rule.country,
        "industry": rule.industry.code if rule.industry_id else None,
        "assignee": rule.assignee.username, "position": rule.position, "active": rule.active,
    }  # fmt: skip


@router.post(
    "/rules",
    response=answers({201: RuleOut}, 400, 403, 422),
    summary="Add an assignment rule (administrators)",
)
def add_rule(request, payload: RuleIn):
    if not request.user.is_administrator:
        raise PermissionDenied
    errors = {}
    if payload.kind not in AssignmentRule.Kind.values:
        errors["kind"] = [f"one of {', '.join(AssignmentRule.Kind.values)}"]
    assignee = staff().filter(username=payload.assignee).first()
    if not services.can_be_assigned(assignee):
        errors["assignee"] = ["a sales person or manager"]
    industry = Industry.objects.filter(code=payload.industry).first() if payload.industry else None
    if payload.kind == AssignmentRule.Kind.INDUSTRY and industry is None:
        errors["industry"] = ["an industry's code"]
    if payload.kind == AssignmentRule.Kind.COUNTRY and len(payload.country) != 2:
        errors["country"] = ["a country's two-letter code"]
    if errors:
        raise ValidationError(errors)
    rule = AssignmentRule.objects.create(
        kind=payload.kind, country=payload.country.upper(), industry=industry, assignee=assignee,
        position=payload.position, active=payload.active,
    )  # fmt: skip
    return Status(201, _rule_out(rule))


@router.delete(
    "/rules/{int:rule_id}", response=answers({204: None}, 403, 404, 422), summary="Remove a rule"
)
def delete_rule(request, rule_id: int):
    if not request.user.is_administrator:
        raise PermissionDenied
    get_object_or_404(AssignmentRule, pk=rule_id).delete()
    return Status(204, None)


@router.get("/{int:enquiry_id}", response=answers(EnquiryOut, 404, 422), summary="One enquiry")
def get_enquiry(request, enquiry_id: int):
    return enquiry_out(visible_or_404(_rows(request.user), request.user, pk=enquiry_id))


# Proposals and accepting -------------------------------------------------------------------


def _proposal_out(form: IntakeForm) -> dict:
    proposal = form.proposal
    return {
        "source": proposal.source,
        "received_at": proposal.received_at,
        "new_customer": _values(form.customer),
        "contact": _values(form.contact),
        "project": _values(form.project),
        "customer": proposal.preferred or None,
        "duplicates": [
            {
                "code": d.customer.code,
                "company_name": d.customer.company_name,
                "reasons": list(d.reasons),
            }
            for d in proposal.duplicates
        ],  # fmt: skip
        "files": [vars(item) for item in proposal.files],
        "language": proposal.guess.language,
        "earlier": [e.pk for e in proposal.earlier],
    }


def _values(part) -> dict:
    """An unbound form's starting values, as strings (what a client would send back)."""
    found = {}
    for name in part.fields:
        value = part[name].value()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        found[name] = "" if value is None else str(value)
    return found


def _bound(request, payload: IntakeIn, proposal, *, thread: bool) -> IntakeForm:
    """The page's form, filled from the proposal and what the client sent."""
    start = IntakeForm(user=request.user, proposal=proposal, thread=thread)
    data = {}
    for part, given in (
        (start.customer, payload.new_customer), (start.contact, payload.contact),
        (start.project, payload.project),
    ):  # fmt: skip
        for name, value in {**_values(part), **given}.items():
            data[part.add_prefix(name)] = value
    data["customer"] = payload.customer or "new"
    data["offered"] = (
        ",".join(d.customer.code for d in proposal.duplicates) if payload.confirm_duplicates else ""
    )
    chosen = (
        {item.key: item.document_type for item in proposal.files}
        if payload.files is None
        else {c.key: c.document_type for c in payload.files}
    )
    unknown = set(chosen) - {item.key for item in proposal.files}
    if unknown:
        raise ValidationError({"files": [f"{key}: not a file of this enquiry" for key in unknown]})
    for number, item in enumerate(proposal.files):
        if item.key in chosen:
            data[f"f-take_{number}"] = "on"
            data[f"f-type_{number}"] = chosen[item.key] or item.document_type
        else:
            data[f"f-type_{number}"] = item.document_type
    if thread and payload.whole_thread:
        data["whole_thread"] = "on"
    data["language"] = payload.language or proposal.guess.language
    form = IntakeForm(data, user=request.user, proposal=proposal, thread=thread)
    if not form.is_valid():
        if payload.customer is None and not payload.confirm_duplicates and proposal.duplicates:
            raise ApiError(
                409, "duplicates",
                "This customer may already be in the archive: name one as `customer`, or "
                "send `confirm_duplicates: true` for a new customer.",
                {"customer": [d.customer.code for d in form.choice.duplicates]},
            )  # fmt: skip
        raise ValidationError(form.errors())
    return form


def _accepted_out(done, written=None) -> dict:
    ack = done.acknowledgement
    return {
        "enquiry": enquiry_out(done.enquiry),
        "customer": done.customer.code,
        "project": done.project.code,
        "stored": [
            {"id": s.pk, "name": s.stored_name, "document_type": s.document_type}
            for s in done.stored
        ],
        "refused": done.refused,
        "filed": [m.pk for m in done.filed],
        "acknowledgement": {
            "sent": ack is not None,
            "mail": ack.pk if ack else None,
            "draft": done.draft.pk if done.draft else None,
            "problem": done.problem,
            "to": written.to if written else [],
            "cc": written.cc if written else [],
            "subject": written.subject if written else (ack.subject if ack else ""),
            "body": written.body if written else (ack.text if ack else ""),
            "in_reply_to": written.in_reply_to if written else "",
        },
    }


def _made(request, make):
    try:
        return make()
    except CodingError as error:
        field = f"c-{error.field}" if error.field else "__all__"
        raise ValidationError({field: [str(error)]}) from None
    except services.EnquiryError as error:
        raise ApiError(409, error.code, str(error)) from None


def _send_ack(request, done, written):
    try:
        done.acknowledgement = compose.send(written, request.user)
    except mail_services.MailNotSent as error:
        done.problem = str(error)
        done.draft = compose.keep_draft(request.user, written, error=str(error))
    done.enquiry.refresh_from_db()


@router.get(
    "/from-mail/{int:mail_id}",
    response=answers(ProposalOut, 404, 422),
    summary="A new enquiry from a mail",
)
def propose_from_mail(request, mail_id: int):
    """What the form starts with: the company, contact, address, country, phone, part and
    quantity read from the mail, the customers it may already be, and its attachments with
    the document type each is filed as."""
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=mail_id)
    proposal = services.proposal_for_mail(mail, request.user)
    return _proposal_out(IntakeForm(user=request.user, proposal=proposal))


@router.post(
    "/from-mail/{int:mail_id}",
    response=answers({201: AcceptedOut}, 400, 403, 404, 409, 422),
    summary="Make the enquiry of a mail",
)
def make_from_mail(request, mail_id: int, payload: IntakeIn):
    """Customer (new, or `customer`: an existing one's code) and project, the mail and its
    thread filed under the project, the attachments in its folder. The answer holds the
    acknowledgement reply (code in the subject); `send_acknowledgement: true` sends it.
    409 `duplicates` when a new customer looks like one in the archive."""
    mail = visible_or_404(MailMessage.objects.all(), request.user, pk=mail_id)
    if not request.user.can_write:
        raise PermissionDenied
    form = _bound(request, payload, services.proposal_for_mail(mail, request.user), thread=True)
    done = _made(request, lambda: services.from_mail(mail, form.intake(), user=request.user))
    written = compose.reply(
        mail, request.user, code=done.project.code, template_key=ACKNOWLEDGEMENT,
        language=form.extra.cleaned_data["language"],
    )  # fmt: skip
    if payload.send_acknowledgement:
        _send_ack(request, done, written)
    return Status(201, _accepted_out(done, written))


@router.get(
    "/from-chat/{int:message_id}",
    response=answers(ProposalOut, 404, 422),
    summary="A new enquiry from a chat",
)
def propose_from_chat(request, message_id: int):
    message = visible_or_404(ChatMessage.objects.all(), request.user, pk=message_id)
    return _proposal_out(
        IntakeForm(user=request.user, proposal=services.proposal_for_chat(message, request.user))
    )


@router.post(
    "/from-chat/{int:message_id}",
    response=answers({201: AcceptedOut}, 400, 403, 404, 409, 422),
    summary="Make a chat's enquiry",
)
def make_from_chat(request, message_id: int, payload: IntakeIn):
    """As from a mail; the acknowledgement is a new mail to the contact's address (sent
    with `send_acknowledgement: true`), or text for the chat when there is none."""
    message = visible_or_404(ChatMessage.objects.all(), request.user, pk=message_id)
    if not request.user.can_write:
        raise PermissionDenied
    proposal = services.proposal_for_chat(message, request.user)
    form = _bound(request, payload, proposal, thread=True)
    done = _made(request, lambda: services.from_chat(message, form.intake(), user=request.user))
    written = services.acknowledgement(done.enquiry, request.user,
                                       form.extra.cleaned_data["language"])  # fmt: skip
    written.to = [a for a in [form.contact.cleaned_data.get("email")] if a]
    if payload.send_acknowledgement and written.to:
        _send_ack(request, done, written)
    return Status(201, _accepted_out(done, written))


@router.get(
    "/{int:enquiry_id}/proposal",
    response=answers(ProposalOut, 404, 422),
    summary="How accepting starts",
)
def propose(request, enquiry_id: int):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=enquiry_id)
    proposal = services.proposal_for(enquiry, request.user)
    return _proposal_out(IntakeForm(user=request.user, proposal=proposal, thread=False))


@router.post(
    "/{int:enquiry_id}/accept",
    response=answers(AcceptedOut, 400, 403, 404, 409, 422),
    summary="Accept a waiting enquiry",
)
def accept(request, enquiry_id: int, payload: IntakeIn):
    """Customer and project made (or the customer picked), the drawings filed, the
    acknowledgement sent; kept as an unsent mail (`draft`) when the mail server cannot take
    it. 409 when it is no longer waiting."""
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=enquiry_id)
    if not request.user.can_write:
        raise PermissionDenied
    form = _bound(request, payload, services.proposal_for(enquiry, request.user), thread=False)
    done = _made(request, lambda: services.accept(enquiry, form.intake(), user=request.user))
    return _accepted_out(done)


@router.post(
    "/{int:enquiry_id}/reject",
    response=answers(EnquiryOut, 400, 403, 404, 409, 422),
    summary="Reject a waiting enquiry",
)
def reject(request, enquiry_id: int, payload: RejectIn):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=enquiry_id)
    if not request.user.can_write:
        raise PermissionDenied
    _made(request, lambda: services.reject(enquiry, payload.reason, user=request.user))
    return get_enquiry(request, enquiry_id)


@router.post(
    "/{int:enquiry_id}/assign",
    response=answers(EnquiryOut, 400, 403, 404, 422),
    summary="Reassign (managers)",
)
def assign(request, enquiry_id: int, payload: AssignIn):
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=enquiry_id)
    to = staff().filter(username=payload.assigned_to).first()
    if to is None:
        raise ValidationError({"assigned_to": ["no such user"]})
    services.reassign(enquiry, to, by=request.user)
    return get_enquiry(request, enquiry_id)


@router.post(
    "/{int:enquiry_id}/replied",
    response=answers(EnquiryOut, 403, 404, 422),
    summary="Answered elsewhere",
)
def replied(request, enquiry_id: int):
    """Answered on the phone or in a chat: the first reply is now."""
    enquiry = visible_or_404(Enquiry.objects.all(), request.user, pk=enquiry_id)
    if not request.user.can_write:
        raise PermissionDenied
    services.mark_replied(enquiry, user=request.user)
    return get_enquiry(request, enquiry_id)
