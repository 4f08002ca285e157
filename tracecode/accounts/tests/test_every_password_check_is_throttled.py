"""Every way in that checks a password counts towards the same lockout.

The administrators' accounts are the ones worth guessing: the admin site signs in through the
app's sign-in page, and changing a password checks the old one through the same gate.
"""

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth import aauthenticate, authenticate
from django.test import RequestFactory, override_settings

from conftest import PASSWORD
from tracecode.accounts.models import FailedSignIn

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-ins"


def sign_in(client, username, password):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_the_admin_login_page_sends_people_to_the_one_sign_in_page(client, administrator):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/admin/accounts/user/"


def test_a_password_posted_to_the_admin_login_is_never_checked(client, administrator):
    for _ in range(30):
        response = client.post("/admin/login/", {"username": "ada", "password": "guess"})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
    response = client.post("/admin/login/", {"username": "ada", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_an_administrator_is_locked_out_like_everyone(client, administrator):
    for _ in range(3):
        sign_in(client, "ada", "guess")
    response = sign_in(client, "ada", PASSWORD)
    assert LOCKED in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_an_administrator_signs_in_and_reaches_the_admin(client, administrator):
    response = client.post(
        "/accounts/sign-in/", {"username": "ada", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in already: the admin's login page goes on to where it was asked to go.
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/admin/"


def test_a_signed_in_sales_user_is_refused_the_admin_without_a_loop(client_of, alice):
    client = client_of(alice)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").status_code == 403


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_guessing_the_old_password_counts_towards_the_lockout(client_of, alice):
    client = client_of(alice)  # e.g. a session left open on a shared computer
    new = "a-much-longer-passphrase-2026"
    for guess in ["one", "two", "three"]:
        data = {"old_password": guess, "new_password1": new, "new_password2": new}
        client.post("/accounts/password/", data)
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post("/accounts/password/", data)
    assert response.status_code == 200 and LOCKED in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert FailedSignIn.objects.filter(username="alice").count() == 3


def test_the_admins_password_change_is_the_apps(client_of, administrator):
    response = client_of(administrator).get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_any_authenticate_call_is_throttled(alice):
    """A future API or basic-auth path calls authenticate(): the backend itself keeps count."""
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert authenticate(request, username="alice", password="guess") is None
    assert authenticate(request, username="alice", password=PASSWORD) is None
    assert FailedSignIn.objects.filter(username="alice", address="203.0.113.7").count() == 3


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_the_async_authenticate_is_throttled_too(alice):
    sign_in_async = async_to_sync(aauthenticate)
    for _ in range(3):
        assert sign_in_async(None, username="alice", password="guess") is None
    assert sign_in_async(None, username="alice", password=PASSWORD) is None


def test_the_throttled_backend_is_the_only_one():
    assert settings.AUTHENTICATION_BACKENDS == ["tracecode.accounts.backends.ThrottledModelBackend"]
