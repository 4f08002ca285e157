"""The administrators' page of the company's profile and bank accounts (404 for others)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.codes.views import administrators_only

from . import services
from .forms import BankAccountForm, ProfileForm
from .models import BankAccount


@administrators_only
def profile(request):
    """The company's profile, its bank accounts, and a form for another account."""
    current = services.profile()
    form = ProfileForm(request.POST or None, request.FILES or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in services.PROFILE_FIELDS}
        logo = request.FILES.get("logo")
        services.save_profile(values, user=request.user, logo=logo, clear_logo=data["clear_logo"])
        messages.success(request, _("The company profile is saved."))
        return redirect("company:profile")
    context = {
        "form": form,
        "accounts": BankAccount.objects.all(),
        "account_form": BankAccountForm(),
        "letterhead": services.letterhead(),
    }
    return render(request, "company/profile.html", context)


@administrators_only
def account(request, pk: int | None = None):
    """Add a bank account, or change one."""
    instance = get_object_or_404(BankAccount, pk=pk) if pk else None
    form = BankAccountForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request, _("The %(currency)s account is saved.") % {"currency": saved.currency}
        )
        return redirect("company:profile")
    return render(request, "company/account.html", {"form": form, "account": instance})


@administrators_only
@require_POST
def delete_account(request, pk: int):
    found = get_object_or_404(BankAccount, pk=pk)
    found.delete()
    messages.success(
        request, _("The %(currency)s account is removed.") % {"currency": found.currency}
    )
    return redirect("company:profile")
