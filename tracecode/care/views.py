"""Pages of customer care: a customer's credit (figures, reviews, blocked orders, releases)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404
from tracecode.customers.models import Customer
from tracecode.sales.models import Order

from . import credit
from .forms import AssessmentForm, ReleaseForm
from .models import CreditRelease


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
