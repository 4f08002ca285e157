"""What the care pages and the API take: credit reviews and releases, key accounts, their
plans and visits, sheet reviews."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.customers.forms import staff

from .models import (
    AccountPlan,
    CauseCategory,
    ComplaintStep,
    CreditAssessment,
    KeyAccount,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 2})

ASSESSMENT_FIELDS = [
    "financial_state", "credit_record", "background", "level", "limit", "payment_terms",
    "reviewed_on", "next_review_on",
]  # fmt: skip


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = CreditAssessment
        fields = ASSESSMENT_FIELDS
        widgets = {
            "financial_state": TEXT,
            "credit_record": TEXT,
            "background": TEXT,
            "reviewed_on": DATE,
            "next_review_on": DATE,
        }

    def clean_limit(self):
        limit = self.cleaned_data.get("limit")
        if limit is not None and limit < 0:
            raise forms.ValidationError(_("A credit limit cannot be negative."))
        return limit

    def clean(self):
        data = super().clean()
        reviewed, upcoming = data.get("reviewed_on"), data.get("next_review_on")
        if reviewed and upcoming and upcoming <= reviewed:
            self.add_error("next_review_on", _("The next review comes after this one."))
        return data


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the release"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class KeyAccountForm(forms.ModelForm):
    class Meta:
        model = KeyAccount
        fields = ["owner", "visit_weeks", "return_visit_weeks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff()


class PlanForm(forms.ModelForm):
    class Meta:
        model = AccountPlan
        fields = ["year", "goals", "actions", "progress", "percent_done"]
        widgets = {"goals": TEXT, "actions": TEXT, "progress": TEXT}


class VisitForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)

    class Meta:
        model = Visit
        fields = ["kind", "date", "purpose", "outcome"]
        widgets = {"purpose": TEXT, "outcome": TEXT}

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit is recorded once it has taken place."))
        return day


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    next_due = forms.DateField(
        label=_("Next review due"),
        widget=DATE,
        required=False,
        help_text=_("Empty: in twelve months."),
    )


class StepForm(forms.Form):
    """One step of a complaint's handling; which extra fields count depends on the step."""

    text = forms.CharField(label=_("What was found or done"), widget=TEXT, max_length=5000)
    part_number = forms.CharField(label=_("Part number"), max_length=60, required=False)
    category = forms.ModelChoiceField(
        label=_("Cause category"), queryset=CauseCategory.objects.filter(active=True),
        required=False, to_field_name="name",
    )  # fmt: skip
    told_on = forms.DateField(label=_("Told on"), widget=DATE, required=False)
    told_how = forms.ChoiceField(
        label=_("Told how"), choices=[("", "—"), *ComplaintStep.How.choices], required=False
    )

    FIELDS = {
        "content": ["text", "part_number"],
        "analysis": ["text", "category"],
        "told": ["text", "told_on", "told_how"],
    }

    def __init__(self, *args, step: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.FIELDS.get(step, ["text"])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in keep:
            if name in ("category", "told_on", "told_how"):
                self.fields[name].required = True
