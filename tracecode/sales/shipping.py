"""What customs and the buyer need on PI, CI and PL beyond the order itself: the attention
contact, consignee and notify party, ports and shipping marks. One form, one service, one page;
the API (api_shipping.py) uses the same form and service."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tracecode.accounts.visibility import editable_or_404
from tracecode.core.workflow import changes
from tracecode.customers.models import Contact

from . import workflow
from .models import Order

SHIPPING_FIELDS = [
    "attention",
    "consignee",
    "notify_party",
    "port_of_loading",
    "port_of_destination",
    "shipping_marks",
]


class ShippingForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = SHIPPING_FIELDS
        widgets = {
            "consignee": forms.Textarea(attrs={"rows": 3}),
            "notify_party": forms.Textarea(attrs={"rows": 3}),
            "shipping_marks": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        customer = self.instance.project.customer
        self.fields["attention"].queryset = Contact.objects.filter(customer=customer)


def save_shipping(order: Order, values: dict, *, user) -> Order:
    """Save the shipping and customs details; the change is on the order's timeline."""
    if not order.is_open:
        raise forms.ValidationError(_("A closed or cancelled order is no longer changed."))
    with transaction.atomic():
        # Compared with the saved row: a bound form has already set its values on `order`.
        stored = Order.objects.select_for_update().get(pk=order.pk)
        current = copy.copy(stored)
        for name in SHIPPING_FIELDS:
            if name in values:
                setattr(current, name, values[name])
        found = changes(stored, current, [name for name in SHIPPING_FIELDS if name in values])
        if found:
            current.save(update_fields=[name for name, _old, _new in found])
            workflow.record(current, "shipping", user=user, changes=found)
    for name in SHIPPING_FIELDS:
        setattr(order, name, getattr(current, name))
    return order


@login_required
def shipping(request, code: str):
    """The page of an order's shipping and customs details."""
    order = editable_or_404(
        Order.objects.select_related("project__customer"), request.user, code=code
    )
    form = ShippingForm(request.POST or None, instance=order)
    if request.method == "POST" and form.is_valid():
        try:
            save_shipping(order, form.cleaned_data, user=request.user)
        except forms.ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The shipping details are saved."))
            return redirect(order)
    return render(request, "sales/shipping_form.html", {"form": form, "order": order})
