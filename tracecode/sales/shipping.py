"""What customs and the buyer need on PI, CI and PL beyond the order itself: the attention
contact, consignee and notify party, ports and shipping marks, and each line's packing (cartons,
weights, carton sizes, HS code, origin), which is known when the goods are packed, long after
quantities and prices were fixed. One form, one service, one page; the API (api_shipping.py)
uses the same forms and service. Every change is on the order's timeline, old → new."""

import copy

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tracecode.accounts.visibility import editable_or_404
from tracecode.core.workflow import changes, line_changes
from tracecode.customers.models import Contact

from . import workflow
from .forms import OrderLineForm
from .models import Order, OrderLine

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


# What a line's packing is: printed on the CI and packing list, entered as the goods are packed.
PACKING_FIELDS = [
    "cartons",
    "net_weight",
    "gross_weight",
    "carton_length",
    "carton_width",
    "carton_height",
    "hs_code",
    "origin",
]


class PackingForm(forms.ModelForm):
    """One line's packing; its checks are the order line form's."""

    class Meta:
        model = OrderLine
        fields = PACKING_FIELDS

    def __init__(self, *args, number: int = 1, **kwargs):
        super().__init__(*args, prefix=f"line{number}", **kwargs)
        for field in self.fields.values():  # in a table: each input says its line
            field.widget.attrs.update({
                "class": "form-control form-control-sm",
                "aria-label": _("line %(number)s") % {"number": number} + f" {field.label}",
            })  # fmt: skip

    def clean_hs_code(self):
        return OrderLineForm.clean_hs_code(self)

    def clean_origin(self):
        return OrderLineForm.clean_origin(self)

    def clean(self):
        data = super().clean()
        net, gross = data.get("net_weight"), data.get("gross_weight")
        if net is not None and gross is not None and gross < net:
            self.add_error("gross_weight", _("The gross weight cannot be less than the net."))
        return data


def packing_forms(order: Order, data=None, rows: list[dict] | None = None) -> list[PackingForm]:
    """A form per line of the order, in order: bound to the page's POST (`data`) or to the
    API's `rows` (a line's fields not given keep their values)."""
    found = []
    for number, line in enumerate(order.lines.all(), start=1):
        if rows is not None:
            given = rows[number - 1] if number <= len(rows) else {}
            bound = {n: getattr(line, n) for n in PACKING_FIELDS}
            bound.update({n: v for n, v in given.items() if n in PACKING_FIELDS})
            bound = {f"line{number}-{n}": "" if v is None else v for n, v in bound.items()}
        elif data is not None and any(f"line{number}-{n}" in data for n in PACKING_FIELDS):
            bound = data
        else:
            bound = None  # not on the page that was sent: left as it is
        found.append(PackingForm(bound, instance=line, number=number))
    return found


def save_shipping(order: Order, values: dict, *, user, lines: list[dict] | None = None) -> Order:
    """Save the shipping and customs details and the lines' packing (`lines`: the packing of
    each line, in order); what changed is on the order's timeline, old → new."""
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
        if lines is not None:
            found += _save_packing(stored, lines)
        if found:
            workflow.record(current, "shipping", user=user, changes=found)
    for name in SHIPPING_FIELDS:
        setattr(order, name, getattr(current, name))
    return order


def _save_packing(order: Order, rows: list[dict]) -> list[list]:
    saved = list(OrderLine.objects.select_for_update().filter(order=order).order_by("position"))
    stored = [{n: getattr(line, n) for n in PACKING_FIELDS} for line in saved]
    edited = []
    for line, before, row in zip(saved, stored, rows, strict=False):
        after = {**before, **{n: v for n, v in row.items() if n in PACKING_FIELDS}}
        edited.append(after)
        if after != before:
            for name, value in after.items():
                setattr(line, name, value)
            line.save(update_fields=PACKING_FIELDS)
    return line_changes(stored[: len(edited)], edited)


@login_required
def shipping(request, code: str):
    """The page of an order's shipping and customs details."""
    order = editable_or_404(
        Order.objects.select_related("project__customer"), request.user, code=code
    )
    form = ShippingForm(request.POST or None, instance=order)
    packing = packing_forms(order, request.POST if request.method == "POST" else None)
    checked = [form.is_valid(), *(f.is_valid() for f in packing if f.is_bound)]
    if request.method == "POST" and all(checked):
        lines = [
            {n: f.cleaned_data[n] for n in PACKING_FIELDS} if f.is_bound else {} for f in packing
        ]
        try:
            save_shipping(order, form.cleaned_data, user=request.user, lines=lines)
        except forms.ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The shipping details are saved."))
            return redirect(order)
    context = {"form": form, "order": order, "packing": packing, "fields": PACKING_FIELDS}
    return render(request, "sales/shipping_form.html", context)
