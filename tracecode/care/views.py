"""Pages of customer care: a customer's credit (figures, reviews, blocked orders, releases),
its key account page (owner, rhythm, plans, visits), the sheets due for review, and the
panels the customer sheet and My follow-ups show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404
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
from .models import CreditRelease, KeyAccount, Visit


def _customer(request, code: str) -> Customer:
    return visible_or_404(Customer.objects.all(), request.user, code=code)


def _credit_context(request, customer, **forms) -> dict:
    may = credit.may_control(request.user, customer)
    return {
        "customer": customer,
        "credit": credit.exposure_of(customer),
        "assessments": customer.credit_assessments.select_related("reviewed_by"),
        "blocked": credit.blocked_orders(customer),
        "releases": CreditRelease.objects.filter(order__project__customer=customer).select_related(
            "order", "released_by"
        ),
        "may_control": may,
        "assessment_form": forms.get("assessment_form") or (AssessmentForm() if may else None),
        "release_form": forms.get("release_form") or ReleaseForm(),
    }


@login_required
def credit_page(request, code: str):
    customer = _customer(request, code)
    return render(request, "care/credit.html", _credit_context(request, customer))


@login_required
@require_POST
def credit_assess(request, code: str):
    customer = _customer(request, code)
    if not credit.may_control(request.user, customer):
        raise PermissionDenied
    form = AssessmentForm(request.POST)
    if form.is_valid():
        credit.assess(customer, user=request.user, values=form.cleaned_data)
        messages.success(request, _("Credit review recorded."))
        return redirect("care:credit", customer.code)
    context = _credit_context(request, customer, assessment_form=form)
    return render(request, "care/credit.html", context, status=422)


@login_required
@require_POST
def credit_release(request, code: str):
    order = visible_or_404(Order.objects.select_related("project__customer"), request.user,
                           code=code)  # fmt: skip
    customer = order.project.customer
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the release."))
        return redirect("care:credit", customer.code)
    try:
        credit.release(order, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(code)s is released: it may now be confirmed.") % {"code": order.code},
        )
    return redirect("care:credit", customer.code)


# The panels ------------------------------------------------------------------------------


def sheet_panel(request, customer) -> dict:
    """What the customer sheet shows of credit, the key account and the sheet's review."""
    account = KeyAccount.objects.filter(customer=customer).select_related("owner").first()
    return {
        "credit": credit.exposure_of(customer),
        "assessment": credit.latest_assessment(customer),
        "account": account,
        "rhythm": services.rhythm(account) if account else None,
        "may_designate": services.may_designate(request.user),
        "may_change": services.may_change(request.user, customer),
        "review": customer.sheet_reviews.select_related("reviewed_by").first(),
        "review_due": services.review_due(customer),
        "today": timezone.localdate(),
        "satisfaction": surveys.satisfaction(customer),
    }


def follow_ups_panel(request) -> dict:
    return {"due_visits": services.visits_due(request.user)}


# Key accounts ----------------------------------------------------------------------------


def _account_context(request, customer, **forms) -> dict:
    account = KeyAccount.objects.filter(customer=customer).select_related("owner").first()
    may_change = services.may_change(request.user, customer)
    plan_year = timezone.localdate().year
    plan = account.plans.filter(year=plan_year).first() if account else None
    return {
        "customer": customer,
        "account": account,
        "rhythm": services.rhythm(account) if account else None,
        "plans": account.plans.select_related("updated_by") if account else [],
        "visits": Visit.objects.filter(entry__customer=customer).select_related(
            "entry", "visited_by"
        ),
        "may_change": may_change,
        "may_designate": services.may_designate(request.user),
        "designate_form": forms.get("designate_form")
        or KeyAccountForm(instance=account, initial={"owner": customer.owner_id}),
        "plan_form": forms.get("plan_form") or PlanForm(instance=plan, initial={"year": plan_year}),
        "visit_form": forms.get("visit_form") or VisitForm(),
    }


def _account_page(request, customer, status=200, **forms):
    context = _account_context(request, customer, **forms)
    return render(request, "care/account.html", context, status=status)


@login_required
def account_page(request, code: str):
    return _account_page(request, _customer(request, code))


@login_required
@require_POST
def account_designate(request, code: str):
    customer = _customer(request, code)
    if not services.may_designate(request.user):
        raise PermissionDenied
    form = KeyAccountForm(request.POST)
    if form.is_valid():
        try:
            services.designate(customer, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("owner", error.message_dict["owner"])
        else:
            messages.success(request, _("%(code)s is a key account.") % {"code": customer.code})
            return redirect("care:account", customer.code)
    return _account_page(request, customer, 422, designate_form=form)


@login_required
@require_POST
def account_plan(request, code: str):
    customer = _customer(request, code)
    account = KeyAccount.objects.filter(customer=customer).first()
    if account is None:
        raise Http404
    if not services.may_change(request.user, customer):
        raise PermissionDenied
    form = PlanForm(request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        services.save_plan(account, user=request.user, year=values.pop("year"), values=values)
        messages.success(request, _("Plan saved."))
        return redirect("care:account", customer.code)
    return _account_page(request, customer, 422, plan_form=form)


@login_required
@require_POST
def account_visit(request, code: str):
    customer = _customer(request, code)
    if not services.may_change(request.user, customer):
        raise PermissionDenied
    form = VisitForm(request.POST)
    if form.is_valid():
        services.record_visit(customer, user=request.user, **form.cleaned_data)
        messages.success(request, _("Visit recorded in the communication log."))
        return redirect("care:account", customer.code)
    return _account_page(request, customer, 422, visit_form=form)


# The archive kept current ----------------------------------------------------------------


@login_required
def reviews_due(request):
    due = services.sheets_due(request.user)
    return render(request, "care/reviews.html", {"due": due})


@login_required
@require_POST
def review(request, code: str):
    customer = _customer(request, code)
    if not services.may_change(request.user, customer):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(customer)
    try:
        services.review_sheet(customer, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sheet reviewed: it is current."))
    if request.POST.get("next") == "reviews":
        return redirect("care:reviews")
    return redirect(customer)


# Complaints handled to the end -----------------------------------------------------------


def _complaint(request, number: str) -> Complaint:
    return visible_or_404(
        Complaint.objects.select_related("order__project__customer"), request.user, number=number
    )


def _complaint_page(request, complaint, status=200, form=None):
    handling = complaints.handling_of(complaint)
    upcoming = complaints.next_step(handling)
    may = complaints.may_handle(request.user, complaint)
    if form is None and upcoming is not None and may:
        form = StepForm(step=upcoming.step, initial={"part_number": handling.part_number,
                                                    "told_on": timezone.localdate()})  # fmt: skip
    steps = {s.step: s for s in handling.steps.select_related("by")}
    context = {
        "complaint": complaint,
        "order": complaint.order,
        "handling": handling,
        "rows": [(rule, steps.get(rule.step)) for rule in complaints.STEPS],
        "upcoming": upcoming,
        "form": form,
        "may_handle": may,
        "recurrences": complaints.recurrences(complaint),
    }
    return render(request, "care/complaint.html", context, status=status)


@login_required
def complaint_page(request, number: str):
    return _complaint_page(request, _complaint(request, number))


@login_required
@require_POST
def complaint_step(request, number: str, step: str):
    complaint = _complaint(request, number)
    if not complaints.may_handle(request.user, complaint):
        raise PermissionDenied
    form = StepForm(request.POST, step=step)
    if not form.is_valid():
        return _complaint_page(request, complaint, 422, form)
    try:
        complaints.record_step(complaint, step, user=request.user, **form.cleaned_data)
    except complaints.StepRefused as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _complaint_page(request, complaint, 422, form)
    else:
        messages.success(request, _("Step recorded."))
    return redirect("care:complaint", complaint.number)


@login_required
def complaint_report(request, number: str):
    complaint = _complaint(request, number)
    pdf = complaints.report_pdf(complaint)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="8D-{complaint.number}.pdf"'
    return response


# Satisfaction surveys --------------------------------------------------------------------


@login_required
def survey_report(request):
    """Average survey rating per month, customer and salesperson, of what the user sees."""
    return render(request, "care/survey_report.html", {"rows": surveys.report(request.user)})
