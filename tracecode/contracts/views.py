"""A contract's page; issuing, amending and the buyer's signature from it and the order."""

import posixpath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.sales.models import Order

from . import services
from .forms import AmendForm, IssueForm, SignedForm
from .models import Amendment, Contract

CONTRACTS = Contract.objects.select_related("order__project__customer")


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def detail(request, code: str):
    contract = visible_or_404(CONTRACTS, request.user, code=code)
    can_edit = Contract.objects.editable_by(request.user).filter(pk=contract.pk).exists()
    context = {
        "contract": contract,
        "amendments": contract.amendments.all(),
        "can_edit": can_edit,
        "amend_form": AmendForm(),
        "signed_form": SignedForm(),
    }
    return render(request, "contracts/detail.html", context)


@login_required
@require_POST
def issue(request, code: str):
    order = editable_or_404(
        Order.objects.select_related("project__customer"), request.user, code=code
    )
    form = IssueForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        contract = services.issue_contract(
            order, user=request.user, clauses=form.cleaned_data["clauses"]
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect(order)
    messages.success(request, _("Sales contract %(code)s is ready.") % {"code": contract.code})
    return redirect(contract)


@login_required
@require_POST
def amend(request, code: str):
    contract = editable_or_404(CONTRACTS, request.user, code=code)
    form = AmendForm(request.POST)
    if form.is_valid():
        try:
            amendment = services.amend_contract(
                contract, user=request.user, changes=form.cleaned_data["changes"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Amendment %(code)s is ready.") % {"code": amendment.code})
    else:
        messages.error(request, _("Say what the amendment changes."))
    return redirect(contract)


@login_required
@require_POST
def signed(request, kind: str, code: str):
    record = _record(request, kind, code, edit=True)
    form = SignedForm(request.POST)
    if form.is_valid():
        try:
            services.mark_signed(record, form.cleaned_data["signed_on"], user=request.user)
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the date the buyer signed."))
    contract = record if isinstance(record, Contract) else record.contract
    return redirect(contract)


def _record(request, kind: str, code: str, edit=False):
    lookup = editable_or_404 if edit else visible_or_404
    if kind == "contract":
        return lookup(CONTRACTS, request.user, code=code)
    if kind == "amendment":
        return lookup(Amendment.objects.select_related("contract"), request.user, code=code)
    raise Http404


@login_required
def file(request, kind: str, code: str, fmt: str):
    record = _record(request, kind, code)
    field = {"pdf": record.pdf, "xlsx": record.xlsx}.get(fmt)
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), filename=posixpath.basename(field.name))
