"""Codes: which customer a code names and whether a user may file under it or see it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tracecode.codes import registry
from tracecode.codes.services import schemes
from tracecode.customers.models import Customer

from ..models import (
    MailLink,
)


def customer_of(code: str, _cache: dict | None = None) -> Customer | None:
    """The customer `code` belongs to (see the record registry), or None (unknown code)."""
    if _cache is not None and code in _cache:
        return _cache[code]
    found = registry.customer_of(code)
    if _cache is not None:
        _cache[code] = found
    return found


def linkable_customers(owner, cache: dict | None = None) -> set[int] | None:
    """The customers whose codes `owner`'s mails and chats may be filed under; None: every one.

    A user's upload or personal mailbox files only under customers that user may see: filing
    elsewhere would write into another salesperson's customer and tell that the code exists.
    Mail without owner (the shared company mailbox, a command-line import without --owner)
    is the company's and is filed by the rules alone, as are the uploads of managers and
    administrators, who see everything.
    """
    if owner is None or owner.sees_everything:
        return None
    key = ("customers", owner.pk)
    if cache is not None and key in cache:
        return cache[key]
    found = set(Customer.objects.visible_to(owner).values_list("pk", flat=True))
    if cache is not None:
        cache[key] = found
    return found


def linkable_codes(
    text: str, cache: dict | None = None, allowed: set[int] | None = None
) -> list[tuple[str, Customer]]:
    """The registered codes in `text` that resolve to a customer, in order, each once; with
    `allowed` (see linkable_customers), a code of any other customer counts as no code."""
    found: list[tuple[str, Customer]] = []
    seen: set[str] = set()
    for hit in schemes().find(text or ""):
        if hit.code in seen:
            continue
        seen.add(hit.code)
        customer = customer_of(hit.code, cache)
        if customer is not None and (allowed is None or customer.pk in allowed):
            found.append((hit.code, customer))
    return found


def check_code(code: str, user) -> Customer:
    """The customer of a code a user typed, if the user may file under it; else ValidationError."""
    code = (code or "").strip().upper()
    customer = customer_of(code) if code else None
    if customer is None:
        raise ValidationError({"code": [_("%(code)s is not a registered code.") % {"code": code}]})
    if not Customer.objects.editable_by(user).filter(pk=customer.pk).exists():
        # A code of a customer the user may not see is reported like an unknown one.
        if not Customer.objects.visible_to(user).filter(pk=customer.pk).exists():
            raise ValidationError(
                {"code": [_("%(code)s is not a registered code.") % {"code": code}]}
            )
        raise PermissionDenied
    return customer


def visible_customer(code: str, user) -> Customer:
    """The customer of a code the user may see, or Http404 (unknown and hidden alike)."""
    from django.http import Http404

    customer = customer_of(code.strip().upper()) if code else None
    if customer is None or not Customer.objects.visible_to(user).filter(pk=customer.pk).exists():
        raise Http404
    return customer


codes_below = registry.codes_below


def visible_links(user, model=MailLink) -> Prefetch:
    """Prefetch the links (codes) of mails, or of chat messages with ChatLink, that `user`
    may see: a code of a customer hidden from them is never shown, not even as a badge."""
    return Prefetch("links", queryset=model.objects.visible_to(user))
