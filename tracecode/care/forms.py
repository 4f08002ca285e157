"""What a credit review and a release are entered with; the pages and the API use these."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CreditAssessment

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
