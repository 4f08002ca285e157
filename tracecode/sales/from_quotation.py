"""Quotation → order in the browser: *Create order* on an accepted quotation's revision, with
the quantity ordered of each item, makes a draft order from it at the price tier each quantity
reaches (services.create_order_from_revision) and opens its form to check."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import editable_or_404
from tracecode.codes.services import CodingError
from tracecode.core.refusals import refused

from . import services
from .models import Quotation


@login_required
@require_POST
def order_from_revision(request, code: str, number: int):
    quotation = editable_or_404(
        Quotation.objects.select_related("project__customer"), request.user, code=code
    )
    revision = get_object_or_404(quotation.revisions, number=number)
    quantities = {}
    for number_, item in enumerate(services.revision_tiers(revision)):
        typed = request.POST.get(f"quantity-{number_}", "").strip().replace(",", "")
        if typed:
            try:
                quantities[item] = Decimal(typed)
            except InvalidOperation:
                messages.error(
                    request, _("Give the quantity of %(item)s as a number.") % {"item": item}
                )
                return redirect(quotation)
    try:
        order = services.create_order_from_revision(
            revision, user=request.user, quantities=quantities
        )
    except (ValidationError, CodingError) as error:
        refused(request, error)
        return redirect(quotation)
    messages.success(
        request,
        _("Draft order %(order)s made from %(code)s revision %(number)s; check it and save.")
        % {"order": order.code, "code": quotation.code, "number": revision.number},
    )
    return redirect(reverse("sales:order_edit", args=[order.code]))
