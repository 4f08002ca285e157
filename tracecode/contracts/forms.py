from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IssueForm(forms.Form):
    clauses = forms.CharField(
        label=_("Further clauses"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AmendForm(forms.Form):
    changes = forms.CharField(
        label=_("What changes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Change the order first; the amendment prints the order as it now stands."),
    )


class SignedForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed by the buyer on"), widget=DATE)
