from django import forms
from django.utils.translation import gettext_lazy as _


class ExplainForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)


class SchemeFileForm(forms.Form):
    text = forms.CharField(
        label=_("Scheme file (TOML)"),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "font-monospace"}),
    )


class SetNextForm(forms.Form):
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        help_text=_("As shown in the counters table; empty for a scheme with one counter."),
    )
    next_serial = forms.IntegerField(label=_("Next serial"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=200)
