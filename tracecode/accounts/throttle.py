"""Lockout after repeated failed sign-ins, counted per user name and per address."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import FailedSignIn

# One address may try several user names (an office behind one NAT), so it gets more tries.
ADDRESS_FACTOR = 4


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def is_locked(username: str, address: str | None) -> bool:
    """Whether sign-in is refused for this user name or address right now."""
    recent = FailedSignIn.objects.filter(at__gte=_window_start())
    allowed = settings.SIGN_IN_FAILURES_ALLOWED
    if recent.filter(username__iexact=username).count() >= allowed:
        return True
    return (
        address is not None and recent.filter(address=address).count() >= allowed * ADDRESS_FACTOR
    )


def record_failure(username: str, address: str | None) -> None:
    """Remember a failed sign-in and forget those older than the window."""
    FailedSignIn.objects.filter(at__lt=_window_start()).delete()
    FailedSignIn.objects.create(username=username[:150], address=address)


def clear(username: str) -> None:
    """A successful sign-in wipes the user name's failures."""
    FailedSignIn.objects.filter(username__iexact=username).delete()
