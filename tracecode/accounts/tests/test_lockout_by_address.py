"""One address's failures never lock out a colleague who made no mistake.

Behind the TLS proxy (or an office NAT) everybody shares an address: the per-address limit
only refuses user names that have failures of their own.
"""

import pytest
from django.test import override_settings

from conftest import PASSWORD
from tracecode.accounts.models import FailedSignIn

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"
PROXY = "10.0.0.2"


def sign_in(client, username, password, forwarded_for=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, **headers
    )


def spray(client, count, forwarded_for=None):
    """Someone tries `count` wrong passwords over as many made-up user names."""
    for n in range(count):
        sign_in(client, f"guess{n}", "nope", forwarded_for)


@override_settings(SIGN_IN_FAILURES_ALLOWED=5, BEHIND_PROXY=False)
def test_a_user_without_failures_signs_in_from_an_exhausted_address(client, bob):
    spray(client, 40)  # twice the address's limit
    assert sign_in(client, "bob", PASSWORD).status_code == 302


@override_settings(SIGN_IN_FAILURES_ALLOWED=5, BEHIND_PROXY=False)
def test_a_name_with_failures_is_refused_from_an_exhausted_address(client, bob):
    sign_in(client, "bob", "typo")
    spray(client, 20)
    response = sign_in(client, "bob", PASSWORD)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(SIGN_IN_FAILURES_ALLOWED=5, BEHIND_PROXY=False)
def test_an_exhausted_address_gets_one_guess_per_name(client, bob):
    spray(client, 20)
    sign_in(client, "bob", "guess-1")
    assert LOCKED in sign_in(client, "bob", "guess-2").content.decode()
    assert FailedSignIn.objects.filter(username="bob").count() == 1


@override_settings(SIGN_IN_FAILURES_ALLOWED=5, BEHIND_PROXY=True, TRUSTED_PROXIES=1)
def test_behind_the_proxy_failures_count_against_the_real_client(client, bob):
    spray(client, 20, forwarded_for="198.51.100.9")
    assert set(FailedSignIn.objects.values_list("address", flat=True)) == {"198.51.100.9"}
    sign_in(client, "bob", "typo", forwarded_for="203.0.113.5")
    # bob, from his own address, is below every limit despite the attacker behind the proxy
    assert sign_in(client, "bob", PASSWORD, forwarded_for="203.0.113.5").status_code == 302


@override_settings(SIGN_IN_FAILURES_ALLOWED=5, BEHIND_PROXY=True, TRUSTED_PROXIES=1)
def test_a_forged_header_does_not_escape_the_address_limit(client, bob):
    for n in range(20):
        sign_in(client, f"guess{n}", "nope", forwarded_for=f"192.0.2.{n}, 198.51.100.9")
    sign_in(client, "bob", "guess-1", forwarded_for="192.0.2.99, 198.51.100.9")
    response = sign_in(client, "bob", "guess-2", forwarded_for="192.0.2.100, 198.51.100.9")
    assert LOCKED in response.content.decode()


@override_settings(SIGN_IN_FAILURES_ALLOWED=3, BEHIND_PROXY=False)
def test_the_user_names_own_limit_holds_from_any_address(client, bob):
    for n in range(3):
        client.post(
            "/accounts/sign-in/",
            {"username": "bob", "password": "nope"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    response = client.post(
        "/accounts/sign-in/",
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.5",
    )
    assert LOCKED in response.content.decode()


@override_settings(SIGN_IN_FAILURES_ALLOWED=3, BEHIND_PROXY=False)
def test_user_names_are_counted_whatever_their_case(client, bob):
    for name in ["bob", "BOB", "Bob"]:
        sign_in(client, name, "nope")
    assert LOCKED in sign_in(client, "bob", PASSWORD).content.decode()
