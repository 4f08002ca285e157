"""Mail accounts are set up by administrators; the password is written, never shown."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import MailAccount


class MailAccountForm(forms.ModelForm):
    password = forms.CharField(
        label=_("password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored password."),
    )

    class Meta:
        model = MailAccount
        fields = ["name", "host", "port", "security", "username", "password", "folder", "owner"]
        fields += ["active"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password and self.instance.pk:
            return self.instance.password
        if not password:
            raise forms.ValidationError(_("The account needs its password."))
        return password


@admin.register(MailAccount)
class MailAccountAdmin(admin.ModelAdmin):
    form = MailAccountForm
    list_display = ["name", "host", "username", "folder", "owner", "active", "last_fetched_at"]
    readonly_fields = ["uidvalidity", "last_uid", "last_fetched_at", "last_error"]
