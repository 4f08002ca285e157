"""The forms of the sales pages; the API validates its input with the same forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tracecode.core.concurrency import VersionField
from tracecode.customers.models import Customer
from tracecode.registers.forms import material_choice
from tracecode.registers.models import Part
from tracecode.registers.models import Supplier as SupplierRecord

from .models import (
    BomLine,
    Checkpoint,
    Complaint,
    Document,
    MaterialLot,
    Order,
    OrderLine,
    OrderState,
    Payment,
    Project,
    Quotation,
    QuotationLine,
    RepairRecord,
    default_internal_due_date,
    order_date_problems,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def dated(names):
    return {name: DATE for name in names}


class VersionedForm(forms.ModelForm):
    """An edit form carries the version its user started from (optimistic locking)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = VersionField(initial=self.instance.version)

    @property
    def model_fields(self) -> list[str]:
        """The model fields this form saves (what a versioned save compares)."""
        return [name for name in self.fields if name != "version"]


def part_choice(parts, label=None):
    """A customer's registered part, picked by its code; labelled `SP1003 · name (01-04-001)`."""
    field = forms.ModelChoiceField(
        parts.order_by("customer_part_number"),
        label=label or capfirst(_("part")),
        required=False,
        to_field_name="code",
        empty_label="—",
        error_messages={"invalid_choice": _("No part %(value)s of this customer in the register.")},
    )
    field.label_from_instance = lambda part: f"{part.title} ({part.code})"
    return field


def parts_of(customer, current=None):
    """The parts a line or project of `customer` may name: those in use, and the one named."""
    if customer is None:
        return Part.objects.none()
    pk = getattr(current, "pk", None)
    return Part.objects.filter(customer=customer).filter(Q(active=True) | Q(pk=pk))


def positive(value, message):
    if value is not None and value <= 0:
        raise ValidationError(message)
    return value


def not_negative(value, message):
    if value is not None and value < 0:
        raise ValidationError(message)
    return value


class ProjectForm(VersionedForm):
    class Meta:
        model = Project
        fields = [
            "customer",
            "part",
            "name",
            "received_on",
            "channel",
            "request",
            "target_quantity",
            "quantity_unit",
            "target_price",
            "currency",
            "lost_reason",
        ]
        widgets = {"received_on": DATE, "request": TEXT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The status moves on the project's page; the reason of a lost one may be corrected.
        if self.instance.pk and self.instance.status == Project.Status.LOST:
            self.fields["lost_reason"].required = True
        else:
            del self.fields["lost_reason"]
        if self.instance.pk:
            del self.fields["customer"]  # a project never moves to another customer
        else:
            customers = Customer.objects.editable_by(user) if user else Customer.objects.none()
            self.fields["customer"].queryset = customers.order_by("code")
            self.fields["customer"].to_field_name = "code"
            self.fields["customer"].label_from_instance = str
        if self.instance.pk:
            parts = parts_of(self.instance.customer, self.instance.part)
        else:
            editable = Part.objects.editable_by(user) if user else Part.objects.none()
            parts = editable.filter(active=True).select_related("customer")
        self.fields["part"] = part_choice(parts)
        self.fields["part"].help_text = _(
            "The customer's part from the register; the project name follows it when empty."
        )
        if not self.instance.pk:
            self.fields["part"].label_from_instance = lambda part: (
                f"{part.customer.code} · {part.title} ({part.code})"
            )
        if self.instance.part_id:
            self.initial["part"] = self.instance.part.code
        self.fields["name"].required = False

    def clean_target_quantity(self):
        return positive(
            self.cleaned_data.get("target_quantity"), _("The quantity must be more than zero.")
        )

    def clean_target_price(self):
        return not_negative(self.cleaned_data.get("target_price"), _("A price cannot be negative."))

    def clean(self):
        data = super().clean()
        part = data.get("part")
        customer = data.get("customer") or (self.instance.customer if self.instance.pk else None)
        if part is not None and customer is not None and part.customer_id != customer.pk:
            self.add_error(
                "part",
                _("%(part)s is a part of %(customer)s, not of this customer.")
                % {"part": part.code, "customer": part.customer.code},
            )
        if not (data.get("name") or "").strip():
            if part is not None:
                data["name"] = part.customer_part_number
            elif "name" not in self.errors:
                self.add_error("name", _("Give the customer's part or product name."))
        return data


class QuotationForm(VersionedForm):
    class Meta:
        model = Quotation
        fields = [
            "quoted_on",
            "valid_until",
            "currency",
            "incoterm",
            "incoterm_place",
            "lead_time",
            "payment_terms",
            "notes",
        ]
        widgets = {**dated(["quoted_on", "valid_until"]), "notes": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["valid_until"].initial = timezone.localdate() + datetime.timedelta(30)

    def clean(self):
        data = super().clean()
        quoted, valid = data.get("quoted_on"), data.get("valid_until")
        if quoted and valid and valid < quoted:
            self.add_error("valid_until", _("A quotation cannot expire before its date."))
        return data


class LineForm(forms.ModelForm):
    """Shared rules of quotation and order lines. A line names a registered part of the
    customer (`part`, its code) or just its text; typing a registered part number links it."""

    text_field = "item"

    def __init__(self, *args, customer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.fields["part"] = part_choice(parts_of(customer, self.instance.part))
        self.fields[self.text_field].required = False

    def clean(self):
        data = super().clean()
        part, text = data.get("part"), (data.get(self.text_field) or "").strip()
        if part is not None and not text:
            data[self.text_field] = part.customer_part_number
            if not (data.get("specification") or "").strip():
                data["specification"] = part.name
        elif part is None and not text and not {self.text_field, "part"} & set(self.errors):
            self.add_error(self.text_field, _("Name the item or pick a registered part."))
        return data

    def clean_quantity(self):
        return positive(
            self.cleaned_data.get("quantity"), _("The quantity must be more than zero.")
        )

    def clean_unit_price(self):
        return not_negative(self.cleaned_data.get("unit_price"), _("A price cannot be negative."))


class QuotationLineForm(LineForm):
    class Meta:
        model = QuotationLine
        fields = ["part", "item", "specification", "quantity", "unit", "unit_price"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Picking a part shows what the customer was quoted and paid for it (htmx).
        self.fields["part"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("registers:part_prices"),
                "hx-trigger": "change",
                "hx-target": "#price-offer",
                "hx-swap": "outerHTML",
            }
        )


class OrderLineForm(LineForm):
    text_field = "part_number"

    class Meta:
        model = OrderLine
        fields = [
            "part",
            "part_number",
            "specification",
            "quantity",
            "unit",
            "unit_price",
            "cartons",
            "net_weight",
            "gross_weight",
            "hs_code",
            "origin",
            "carton_length",
            "carton_width",
            "carton_height",
        ]

    def clean_hs_code(self):
        digits = "".join(c for c in self.cleaned_data.get("hs_code") or "" if c.isdigit())
        if digits and len(digits) not in (6, 8, 10):
            raise ValidationError(_("An HS code has 6, 8 or 10 digits."))
        return digits

    def clean_origin(self):
        origin = (self.cleaned_data.get("origin") or "").strip().upper()
        if origin and not (len(origin) == 2 and origin.isalpha()):
            raise ValidationError(_("Give the country of origin as two letters (CN, DE …)."))
        return origin

    def clean(self):
        data = super().clean()
        net, gross = data.get("net_weight"), data.get("gross_weight")
        if net is not None and gross is not None and gross < net:
            self.add_error("gross_weight", _("The gross weight cannot be less than the net."))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled-in lines, in order, without the deleted ones."""
        rows = []
        for form in self.forms:
            if not form.has_changed() or (self.can_delete and self._should_delete_form(form)):
                continue
            rows.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
        return rows


QuotationLineFormSet = forms.formset_factory(
    QuotationLineForm, formset=BaseLineFormSet, extra=2, can_delete=True
)
OrderLineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseLineFormSet, extra=2, can_delete=True
)


def line_formset(
    formset_class, rows: list[dict] | None = None, data=None, prefix="lines", customer=None
):
    """A lines formset: bound to `data`, or showing `rows` (the saved lines); `customer`'s
    registered parts are offered on each line."""
    kwargs = {"form_kwargs": {"customer": customer}} if customer is not None else {}
    if data is not None:
        return formset_class(data, prefix=prefix, **kwargs)
    return formset_class(initial=rows or [], prefix=prefix, **kwargs)


def formset_data(rows: list[dict], prefix: str = "lines") -> dict:
    """The POST data of a formset holding `rows`: how the API feeds lines to the same forms."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = "" if value is None else value
    return data


class OrderForm(VersionedForm):
    class Meta:
        model = Order
        fields = [
            "customer_po",
            "ordered_on",
            "delivery_date",
            "internal_due_date",
            "currency",
            "incoterm",
            "incoterm_place",
            "payment_terms",
            "payment_due_on",
            "packaging_requirements",
            "inspection_requirements",
            "process_requirements",
            "notes",
        ]
        widgets = {
            **dated(["ordered_on", "delivery_date", "internal_due_date", "payment_due_on"]),
            "payment_terms": forms.Textarea(attrs={"rows": 2}),
            "packaging_requirements": TEXT,
            "inspection_requirements": TEXT,
            "process_requirements": TEXT,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = kind or self.instance.kind
        if kind != Order.Kind.PROCESSING:
            del self.fields["process_requirements"]
        self.fields["internal_due_date"].required = False
        if self.currency_fixed:
            self.fields["currency"].help_text = _(
                "Fixed once the order is confirmed: its payments and documents are in it."
            )

    @property
    def currency_fixed(self) -> bool:
        return bool(self.instance.pk) and self.instance.state != Order.State.DRAFT

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if self.currency_fixed and currency and currency != self.instance.currency:
            self.add_error(
                "currency",
                _(
                    "The order is confirmed: its currency stays %(currency)s (its payments "
                    "and documents are in it). Cancel it and enter a new order to change it."
                )
                % {"currency": self.instance.currency},
            )
        values = {**{f: getattr(self.instance, f, None) for f in DATE_FIELDS}, **data}
        # An empty internal due date is derived from the delivery date, and only from a
        # sound one: a wrong delivery date is the delivery date's error alone.
        if not data.get("internal_due_date") and "delivery_date" not in order_date_problems(values):
            data["internal_due_date"] = values["internal_due_date"] = default_internal_due_date(
                data.get("ordered_on"), data.get("delivery_date")
            )
        for name, message in order_date_problems(values).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data


DATE_FIELDS = ["ordered_on", "delivery_date", "internal_due_date", "payment_due_on"]
DATE_FIELDS += ["etd", "eta", "arrived_on"]


class TransitionForm(forms.ModelForm):
    """What a move of a workflow records on its record (every field required), and a note:
    the shipping details of an order, the reason a project was lost …"""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    class Meta:
        model = Order
        fields: list[str] = []
        widgets = dated(["confirmed_on", "etd", "eta", "eta_told_on", "arrived_on", "closed_on"])

    # Dates of what has happened: today unless told otherwise, never in the future.
    DONE_ON = ("confirmed_on", "eta_told_on", "arrived_on", "closed_on")
    REQUIRED = {
        "lost_reason": _("Say why the project was lost."),
        "cancel_reason": _("Say why the order is cancelled."),
    }

    def __init__(self, transition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        for name in self.fields:
            self.fields[name].required = name != "note"
            if name in self.REQUIRED:
                self.fields[name].error_messages["required"] = self.REQUIRED[name]
        for name in self.DONE_ON:
            if name in self.fields and not self.initial.get(name):
                self.initial[name] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if isinstance(self.instance, Order):
            values = {f: getattr(self.instance, f, None) for f in DATE_FIELDS}
            values.update({k: v for k, v in data.items() if k in DATE_FIELDS})
            for name, message in order_date_problems(values).items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, message)
        today = timezone.localdate()
        for name in self.DONE_ON:
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        return data


def transition_form(transition, record, data=None, prefix=None):
    """The form of one move of `record`, e.g. the shipping details for an order's `ship`."""
    form_class = forms.modelform_factory(
        type(record), form=TransitionForm, fields=list(transition.fields)
    )
    return form_class(transition, data, instance=record, prefix=prefix)


class CheckpointForm(forms.ModelForm):
    class Meta:
        model = Checkpoint
        fields = ["done_on", "note"]
        widgets = {"done_on": DATE}


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["received_on", "amount", "method", "reference", "note"]
        widgets = {"received_on": DATE}

    def clean_amount(self):
        return positive(self.cleaned_data.get("amount"), _("The amount must be more than zero."))

    def clean_received_on(self):
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("This date is in the future."))
        return value


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=Document.Kind.choices)


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = [
            "received_on",
            "severity",
            "content",
            "quantity_affected",
            "cause_analysis",
            "cause",
            "corrective_action",
            "result",
            "result_told_on",
        ]
        widgets = {
            **dated(["received_on", "result_told_on"]),
            "content": TEXT,
            "cause_analysis": TEXT,
            "corrective_action": TEXT,
            "result": TEXT,
        }

    def clean_quantity_affected(self):
        return positive(
            self.cleaned_data.get("quantity_affected"), _("The quantity must be more than zero.")
        )

    def clean(self):
        data = super().clean()
        received, told = data.get("received_on"), data.get("result_told_on")
        if received and told and told < received:
            self.add_error("result_told_on", _("The result cannot be told before the complaint."))
        if told and not (data.get("result") or "").strip():
            self.add_error("result", _("Write down what the customer was told."))
        return data


def supplier_choice(label):
    field = forms.ModelChoiceField(
        SupplierRecord.objects.filter(active=True),
        label=capfirst(label),
        required=False,
        to_field_name="code",
        empty_label="—",
        error_messages={"invalid_choice": _("No supplier %(value)s in the register.")},
    )
    field.label_from_instance = lambda supplier: f"{supplier.code} {supplier.name}"
    return field


class BomLineForm(forms.ModelForm):
    """A line of the customer's BOM; its material is a record of the material register."""

    class Meta:
        model = BomLine
        fields = [
            "part_number", "material", "description", "quantity_per_unit", "unit",
            "supplied_by", "supplier",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"] = material_choice(label=capfirst(_("material")))
        self.fields["supplier"] = supplier_choice(_("bought from"))
        self.fields["part_number"].required = False

    def clean(self):
        data = super().clean()
        material = data.get("material")
        if not (data.get("part_number") or "").strip():
            if material is not None:
                data["part_number"] = material.code
            elif "material" not in self.errors:
                self.add_error("part_number", _("Give the part number or a registered material."))
        if material is not None and not (data.get("description") or "").strip():
            data["description"] = material.name[:300]
        return data

    def clean_quantity_per_unit(self):
        return positive(
            self.cleaned_data.get("quantity_per_unit"), _("The quantity must be more than zero.")
        )


BomLineFormSet = forms.formset_factory(
    BomLineForm, formset=BaseLineFormSet, extra=2, can_delete=True
)


class MaterialLotForm(forms.ModelForm):
    class Meta:
        model = MaterialLot
        fields = ["bom_line", "lot_number", "quantity", "received_on", "supplier"]
        widgets = {"received_on": DATE}

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = order.bom_lines.filter(supplied_by="customer") if order else BomLine.objects.none()
        self.fields["bom_line"].queryset = lines.select_related("material")
        self.fields["bom_line"].label_from_instance = lambda line: " ".join(
            part
            for part in (line.material.code if line.material else "", line.part_number,
                         line.description)
            if part
        )  # fmt: skip
        self.fields["supplier"] = supplier_choice(_("delivered by"))

    def clean_quantity(self):
        return positive(
            self.cleaned_data.get("quantity"), _("The quantity must be more than zero.")
        )


class InspectionForm(forms.ModelForm):
    class Meta:
        model = MaterialLot
        fields = ["result", "inspected_on", "inspection_note"]
        widgets = {
            "result": forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
            "inspected_on": forms.DateInput(
                attrs={"type": "date", "class": "form-control form-control-sm w-auto"},
                format="%Y-%m-%d",
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("inspected_on", None)
        self.initial["inspected_on"] = self.initial["inspected_on"] or timezone.localdate()
        self.fields["inspected_on"].help_text = _("Empty: today.")
        results = [c for c in MaterialLot.Result.choices if c[0] != MaterialLot.Result.PENDING]
        self.fields["result"].choices = [("", _("IQC result…")), *results]
        if self.initial.get("result") == MaterialLot.Result.PENDING:
            self.initial["result"] = ""

    def clean_inspected_on(self):
        return self.cleaned_data.get("inspected_on") or timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("result") == MaterialLot.Result.CONCESSION and not data.get("inspection_note"):
            self.add_error("inspection_note", _("Say what deviation was accepted."))
        return data


class RepairForm(forms.ModelForm):
    class Meta:
        model = RepairRecord
        fields = ["received_on", "quantity", "fault", "repair", "returned_on"]
        widgets = {**dated(["received_on", "returned_on"]), "fault": TEXT, "repair": TEXT}

    def clean_quantity(self):
        return positive(
            self.cleaned_data.get("quantity"), _("The quantity must be more than zero.")
        )

    def clean(self):
        data = super().clean()
        received, returned = data.get("received_on"), data.get("returned_on")
        if received and returned and returned < received:
            self.add_error("returned_on", _("It cannot be returned before it was received."))
        return data


class OrderFilterForm(forms.Form):
    """The order list's filters (GET)."""

    q = forms.CharField(label=_("Code, project name or PO"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open")), *OrderState.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Order.Kind.choices]
    )
    customer = forms.CharField(label=_("Customer code"), required=False)
    overdue = forms.BooleanField(label=_("Payment overdue"), required=False)
    late = forms.BooleanField(label=_("Delivery late"), required=False)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or project name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Project.Status.choices],
    )
    customer = forms.CharField(label=_("Customer code"), required=False)
