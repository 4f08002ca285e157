"""Lockout after repeated failed sign-ins, counted per user name and per address.

Guarantees, with any number of app servers sharing the database (nothing is kept in memory):
- at most `SIGN_IN_FAILURES_ALLOWED` passwords are compared for one user name within
  `SIGN_IN_LOCKOUT_MINUTES`, however many tries arrive at once: `reserve()` counts and records
  the try under one lock per user name, before the password is compared;
- an address with four times as many failures may only try user names that have no failures
  yet, so a guesser there gets one try per name, while a colleague behind the same proxy or
  NAT whose own name has no failures still signs in.
"""

import hashlib
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import FailedSignIn

# One address may try several user names (an office behind one NAT), so it gets more tries.
ADDRESS_FACTOR = 4

# PostgreSQL: the lock on one user name lasts until the transaction ends. (On SQLite the
# transaction begins IMMEDIATE and holds the database's write lock, which serialises as well.)
LOCK_NAME = "SELECT pg_advisory_xact_lock(%s)"


def client_address(request) -> str | None:
    """The address a request comes from: the proxy's X-Forwarded-For only behind a proxy.

    Each proxy appends the address it received the request from, so the client's is the
    entry `TRUSTED_PROXIES` places from the right; whatever is left of it the client may
    have written itself. A missing or garbled header falls back to the connection's peer.
    """
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_PROXY:
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.TRUSTED_PROXIES:
        return peer
    try:
        return str(ipaddress.ip_address(hops[-settings.TRUSTED_PROXIES]))
    except ValueError:
        return peer


def name_key(username: str) -> str:
    """The user name as counted: `Alice` and `alice` share one count."""
    return username[:150].lower()


def _window_start():
    return timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def _lock(key: str) -> None:
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(b"sign-in:" + key.encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(LOCK_NAME, [int.from_bytes(digest[:8], "big", signed=True)])


def _refused(key: str, address: str | None) -> bool:
    recent = FailedSignIn.objects.filter(at__gte=_window_start())
    allowed = settings.SIGN_IN_FAILURES_ALLOWED
    own = recent.filter(username=key).count()
    if own >= allowed:
        return True
    if own == 0 or address is None:
        return False  # the address's failures never refuse a name without failures of its own
    return recent.filter(address=address).count() >= allowed * ADDRESS_FACTOR


def is_locked(username: str, address: str | None) -> bool:
    """Whether a sign-in for this user name from this address is refused right now."""
    return _refused(name_key(username), address)


def reserve(username: str, address: str | None) -> bool:
    """Allow one password comparison and count it as a failure until it succeeds; or refuse."""
    key = name_key(username)
    with transaction.atomic():
        _lock(key)
        if _refused(key, address):
            return False
        FailedSignIn.objects.filter(at__lt=_window_start()).delete()
        FailedSignIn.objects.create(username=key, address=address)
    return True


def clear(username: str) -> None:
    """A successful sign-in wipes the user name's failures."""
    FailedSignIn.objects.filter(username=name_key(username)).delete()
