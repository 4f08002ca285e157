from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm, PasswordChangeForm, SignInForm
from .models import ApiToken


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def tokens(request):
    """List the user's API tokens and create a new one; its value is shown once."""
    form = ApiTokenForm(request.POST or None)
    new_value = None
    if request.method == "POST" and form.is_valid():
        token, new_value = ApiToken.issue(request.user, form.cleaned_data["name"])
        messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
        form = ApiTokenForm()
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_value": new_value}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
