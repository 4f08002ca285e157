import pytest
from django.conf import settings

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production():
    # The test run swaps in a fast hasher; the project's setting is what production uses.
    from tracecode import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_it_changes_the_password(client_of, alice):
    client = client_of(alice)
    new = "a-much-longer-passphrase-2026"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_a_wrong_old_password_keeps_the_form_with_an_error(client_of, alice):
    client = client_of(alice)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-1",
            "new_password2": "x-long-pass-1",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
