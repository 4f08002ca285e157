import pytest
from django.test import override_settings

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_it_signs_in_and_redirects_home(client, alice):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_reveals_nothing_about_which_part_was_wrong(client, alice):
    wrong_password = sign_in(client, "alice", "nope").content.decode()
    unknown_user = sign_in(client, "nobody", PASSWORD).content.decode()
    message = "The user name or password is not correct."
    assert message in wrong_password
    assert message in unknown_user


def test_the_form_keeps_the_typed_user_name(client, alice):
    response = sign_in(client, "alice", "nope")
    assert 'value="alice"' in response.content.decode()


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_it_locks_out_after_repeated_failures(client, alice):
    for _ in range(3):
        sign_in(client, "alice", "nope")
    response = sign_in(client, "alice", PASSWORD)
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(SIGN_IN_FAILURES_ALLOWED=3)
def test_a_success_clears_earlier_failures(client, alice):
    for _ in range(2):
        sign_in(client, "alice", "nope")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/sign-out/")
    for _ in range(2):
        sign_in(client, "alice", "nope")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_sign_out_ends_the_session(client_of, alice):
    client = client_of(alice)
    client.post("/accounts/sign-out/")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_pages_need_a_signed_in_user(client, db):
    for url in ["/", "/customers/", "/search/?q=RK", "/accounts/tokens/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/")
