from django import forms
from django.utils.translation import gettext_lazy as _

from tracecode.sales.forms import PaymentForm

from .models import WriteOff


class ReceiveForm(PaymentForm):
    """A payment as it arrived: more than the balance is kept as the customer's credit."""


# The write-off form's prefix on the order page, whose payment form has an amount and a note too
WRITE_OFF = "write_off"


class WriteOffForm(forms.ModelForm):
    class Meta:
        model = WriteOff
        fields = ["amount", "reason", "note"]

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class UseCreditForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, required=False,
        help_text=_("Empty: as much as the credit and the balance allow."),
    )  # fmt: skip
