"""The company's details as documents print them: the profile over the settings' defaults."""

import base64
import mimetypes

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tracecode.core.pdf import letterhead as configured_letterhead

from .models import BankAccount, CompanyProfile

PROFILE_FIELDS = [
    "name",
    "name_zh",
    "address",
    "address_zh",
    "phone",
    "email",
    "default_currency",
    "entity",
    "document_terms",
]


def profile() -> CompanyProfile:
    """The saved profile, or an empty unsaved one (everything from the settings)."""
    return CompanyProfile.objects.filter(pk=1).first() or CompanyProfile(pk=1)


def save_profile(values: dict, *, user, logo=None, clear_logo=False) -> CompanyProfile:
    """Save the profile's fields (and a new logo); what is left empty falls back to settings."""
    with transaction.atomic():
        current = profile()
        for name, value in values.items():
            if name in PROFILE_FIELDS:
                setattr(current, name, value)
        if clear_logo and current.logo:
            current.logo.delete(save=False)
        if logo is not None:
            current.logo.save(logo.name, logo, save=False)
        current.updated_at = timezone.now()
        current.updated_by = user if user is not None and user.pk else None
        current.save()
    return current


def _logo(current: CompanyProfile, fallback: str) -> str:
    if not current.logo:
        return fallback
    try:
        with current.logo.open("rb") as stream:
            data = stream.read()
    except OSError:
        return fallback
    kind = mimetypes.guess_type(current.logo.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def bank_account(currency: str) -> BankAccount | None:
    return BankAccount.objects.filter(currency=currency).first()


def letterhead(currency: str = "") -> dict:
    """Name, address, logo, terms and the bank account of `currency` for a document."""
    base = configured_letterhead()
    current = profile()
    head = {key: getattr(current, key, "") or base.get(key, "") for key in base if key != "logo"}
    account = bank_account(currency) if currency else None
    head.update(
        address_zh=current.address_zh,
        logo=_logo(current, base["logo"]),
        terms=current.document_terms,
        entity=current.entity,
        default_currency=current.default_currency or settings.BASE_CURRENCY,
        bank=account.details() if account else settings.BANK_DETAILS,
        bank_account=account,
    )
    return head


def default_currency() -> str:
    """The currency new records start in: the profile's, else USD as before."""
    return profile().default_currency or "USD"
