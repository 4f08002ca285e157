"""Whose address a sign-in comes from: the proxy's header only when a proxy is declared."""

import pytest
from django.test import RequestFactory, override_settings

from tracecode.accounts.throttle import client_address
from tracecode.testing import startup

PROXY = "10.0.0.2"


def request(forwarded_for: str | None = None, remote: str = PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/accounts/sign-in/", **headers)


@override_settings(BEHIND_PROXY=False)
def test_without_a_proxy_the_header_is_never_trusted():
    assert client_address(request("198.51.100.9")) == PROXY


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=1)
def test_behind_one_proxy_it_takes_the_address_the_proxy_saw():
    assert client_address(request("198.51.100.9")) == "198.51.100.9"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=1)
def test_a_forged_header_cannot_choose_the_address():
    # The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended what it saw.
    assert client_address(request("192.0.2.1, 198.51.100.9")) == "198.51.100.9"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=2)
def test_behind_two_proxies_it_counts_two_hops_from_the_right():
    forwarded = "192.0.2.1, 198.51.100.9, 10.0.0.1"  # forged, client, the outer proxy
    assert client_address(request(forwarded)) == "198.51.100.9"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=1)
def test_ipv6_addresses_are_kept():
    assert client_address(request("2001:db8::7")) == "2001:db8::7"


@override_settings(BEHIND_PROXY=True, TRUSTED_PROXIES=2)
@pytest.mark.parametrize("forwarded", [None, "", "198.51.100.9", "not-an-address, 10.0.0.1"])
def test_a_missing_short_or_garbled_header_falls_back_to_the_peer(forwarded):
    assert client_address(request(forwarded)) == PROXY


def test_no_request_has_no_address():
    assert client_address(None) is None


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_number_of_proxies_refuses_to_start_with_one_line(tmp_path, value):
    env = {"TRACECODE_TRUSTED_PROXIES": value, "TRACECODE_DATA_DIR": str(tmp_path)}
    result = startup.check(env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"tracecode: TRACECODE_TRUSTED_PROXIES must be a number from 1 to 999: {value!r}"
    ]
