from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BankAccount, CompanyProfile

LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
LOGO_MAX_BYTES = 2 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    clear_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = CompanyProfile
        fields = [
            "name",
            "name_zh",
            "address",
            "address_zh",
            "phone",
            "email",
            "logo",
            "default_currency",
            "entity",
            "document_terms",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "address_zh": forms.Textarea(attrs={"rows": 2}),
            "document_terms": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size"):
            if not logo.name.lower().endswith(LOGO_TYPES):
                raise forms.ValidationError(_("The logo must be a PNG, JPEG or SVG file."))
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("The logo may be 2 MB at most."))
        return logo

    def clean_entity(self):
        return self.cleaned_data["entity"].strip().upper()


class BankAccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = [
            "currency",
            "bank_name",
            "bank_address",
            "swift",
            "account_name",
            "account_number",
            "note",
        ]

    def clean_swift(self):
        swift = self.cleaned_data["swift"].strip().upper()
        if swift and (len(swift) not in (8, 11) or not swift.isalnum()):
            raise forms.ValidationError(_("A SWIFT/BIC code has 8 or 11 letters and digits."))
        return swift
