import pytest

from tracecode.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_no_token_is_401_json(client, db):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_token_authenticates(client, alice, token_of):
    response = client.get("/api/me", headers={"Authorization": token_of(alice)})
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_a_revoked_token_is_401(client, alice):
    token, value = ApiToken.issue(alice, "laptop")
    token.revoke()
    response = client.get("/api/me", headers={"Authorization": f"Bearer {value}"})
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "Authentication required: a valid API token or a signed-in session.",
            "fields": {},
        }
    }


def test_a_made_up_token_is_401(client, alice):
    response = client.get("/api/me", headers={"Authorization": "Bearer tc_made-up"})
    assert response.status_code == 401


def test_a_deactivated_users_token_is_401(client, alice, token_of):
    header = token_of(alice)
    alice.is_active = False
    alice.save()
    assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


def test_only_the_digest_is_stored(alice):
    token, value = ApiToken.issue(alice, "ERP")
    assert value.startswith("tc_")
    assert value not in (token.digest, token.prefix)
    assert token.digest == ApiToken.hash(value)


def test_the_session_authenticates_the_browser(client_of, alice):
    assert client_of(alice).get("/api/me").json()["role"] == "sales"


def test_a_user_creates_a_token_in_the_ui_and_sees_it_once(client_of, alice):
    client = client_of(alice)
    response = client.post("/accounts/tokens/", {"name": "ERP sync"})
    page = response.content.decode()
    token = alice.api_tokens.get()
    value = page.split('id="new-token">')[1].split("<")[0]
    assert ApiToken.hash(value) == token.digest
    assert value not in client.get("/accounts/tokens/").content.decode()


def test_a_user_revokes_a_token_in_the_ui(client_of, alice):
    token, value = ApiToken.issue(alice, "old")
    client_of(alice).post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.is_revoked


def test_bob_cannot_revoke_alices_token(client_of, alice, bob):
    token, _ = ApiToken.issue(alice, "mine")
    response = client_of(bob).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked


def test_the_tokens_command_creates_lists_and_revokes(alice, capsys):
    from django.core.management import call_command

    call_command("tokens", "create", "alice", "--name", "cli")
    value = capsys.readouterr().out.strip()
    assert ApiToken.authenticate(value) == alice
    call_command("tokens", "revoke", value[:10])
    assert ApiToken.authenticate(value) is None
