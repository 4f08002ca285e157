from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from . import throttle

LOCKED = _("Too many failed sign-ins. Try again in %(minutes)s minutes.")


def locked_error() -> forms.ValidationError:
    return forms.ValidationError(
        LOCKED, code="locked", params={"minutes": settings.SIGN_IN_LOCKOUT_MINUTES}
    )


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form; the lockout itself is in the authentication backend."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        # Never say which of the two was wrong.
        "invalid_login": _("The user name or password is not correct."),
    }

    def get_invalid_login_error(self):
        username = self.cleaned_data.get("username") or ""
        if throttle.is_locked(username, throttle.client_address(self.request)):
            return locked_error()
        return super().get_invalid_login_error()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change, checking the old password through the sign-in lockout."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        username = self.user.get_username()
        if authenticate(self.request, username=username, password=old_password) != self.user:
            if throttle.is_locked(username, throttle.client_address(self.request)):
                raise locked_error()
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP sync” or “my laptop”."),
    )
