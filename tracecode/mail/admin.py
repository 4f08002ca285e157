"""Mail accounts are set up by administrators; the password is written, never shown.
Administrators also edit the mail templates (placeholders checked) and may see signatures."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import MailAccount, MailTemplate, Signature
from .services.compose import PLACEHOLDERS, unknown_placeholders


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


class MailTemplateForm(forms.ModelForm):
    class Meta:
        model = MailTemplate
        fields = ["key", "name", "name_zh", "subject", "body", "subject_zh", "body_zh"]
        fields += ["position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = ", ".join(f"{{{name}}} ({label})" for name, label in PLACEHOLDERS.items())
        self.fields["body"].help_text = _("Placeholders: %(known)s.") % {"known": known}

    def clean(self):
        data = super().clean()
        for name in ("subject", "body", "subject_zh", "body_zh"):
            unknown = unknown_placeholders(data.get(name, ""))
            if unknown:
                self.add_error(
                    name,
                    _("Unknown placeholders: %(unknown)s. Known: %(known)s.")
                    % {
                        "unknown": ", ".join(f"{{{u}}}" for u in unknown),
                        "known": ", ".join(f"{{{k}}}" for k in PLACEHOLDERS),
                    },
                )
        return data


@admin.register(MailTemplate)
class MailTemplateAdmin(admin.ModelAdmin):
    form = MailTemplateForm
    list_display = ["name", "name_zh", "key", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["user", "updated_at"]
