"""What a lead is reported with, and what each move asks for; the pages and the API use these."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.models import Role
from tracecode.core.concurrency import VersionField
from tracecode.customers.countries import BadPhone, country_choices, to_e164
from tracecode.customers.forms import staff
from tracecode.customers.models import Customer, CustomerSource

from .models import Lead

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class MonthField(forms.DateField):
    """A month typed as 2026-11 (or any day of it); cleaned to its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class LeadForm(forms.ModelForm):
    """A new lead, or the reporter's changes to it while it waits for evaluation."""

    expected_month = MonthField(label=_("Expected order month"))

    class Meta:
        model = Lead
        fields = [
            "customer", "company_name", "country", "contact_name", "email", "phone", "source",
            "product", "details", "expected_value", "currency", "expected_month", "probability",
            "reported_on",
        ]  # fmt: skip
        widgets = {"details": TEXT, "reported_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        customers = self.fields["customer"]
        customers.queryset = Customer.objects.visible_to(user).filter(archived_at=None)
        customers.to_field_name = "code"
        customers.label_from_instance = lambda c: f"{c.code} {c.company_name}"
        customers.empty_label = _("— a prospect, not yet a customer —")
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), required=False, choices=[("", "—"), *country_choices()]
        )
        self.fields["source"].queryset = CustomerSource.objects.filter(active=True)
        self.fields["source"].to_field_name = "code"
        self.fields["probability"].widget.attrs.update(min=0, max=100)
        self.fields["reported_on"].required = False  # empty: today
        self.fields["reported_on"].initial = timezone.localdate
        if self.instance.pk:
            self.fields["version"] = VersionField(initial=self.instance.version)

    def clean(self):
        data = super().clean()
        if not data.get("reported_on") and "reported_on" not in self.errors:
            data["reported_on"] = timezone.localdate()
        if not data.get("customer") and not (data.get("company_name") or "").strip():
            self.add_error(
                "company_name", _("Name the prospect's company, or choose the customer.")
            )
        if data.get("customer"):
            for name in ("company_name", "country", "contact_name", "email", "phone"):
                data[name] = ""
        if data.get("phone"):
            try:
                data["phone"] = to_e164(data["phone"], data.get("country") or "")
            except BadPhone:
                self.add_error("phone", _("Enter the phone number with its country code, "
                                          "e.g. +49 711 2589 4410."))  # fmt: skip
        return data

    def clean_expected_value(self):
        value = self.cleaned_data.get("expected_value")
        if value is not None and value < 0:
            raise ValidationError(_("The expected value cannot be negative."))
        return value

    @property
    def model_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]


def followers():
    """Who may follow a lead up: active people who write, not viewers."""
    return staff().exclude(role=Role.VIEWER)


class PlanForm(forms.Form):
    """A manager accepts the lead (or plans again): who follows it up, how, by when."""

    assigned_to = forms.ModelChoiceField(
        followers(), label=_("Followed up by"), to_field_name="username"
    )
    plan = forms.CharField(label=_("Follow-up plan"), widget=TEXT, max_length=2000)
    follow_up_due = forms.DateField(label=_("Next follow-up"), widget=DATE)
    note = forms.CharField(label=_("Evaluation"), widget=TEXT, required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = followers()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT, max_length=2000)


class ResultForm(forms.Form):
    note = forms.CharField(label=_("What the follow-up brought"), widget=TEXT, max_length=2000)
    follow_up_due = forms.DateField(label=_("Next follow-up"), widget=DATE, required=False)


class ConvertForm(forms.Form):
    customer = forms.ModelChoiceField(
        Customer.objects.none(), label=_("Existing customer"), required=False,
        to_field_name="code",
        help_text=_("Empty: the prospect becomes a new customer."),
    )  # fmt: skip
    create_anyway = forms.BooleanField(
        label=_("Create the new customer even if it looks like an existing one"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        field.queryset = Customer.objects.editable_by(user).filter(archived_at=None)
        field.label_from_instance = lambda c: f"{c.code} {c.company_name}"
