import pytest

from tracecode.mail.models import MailAccount

pytestmark = pytest.mark.django_db


def test_the_password_is_never_shown_and_kept_when_left_empty(administrator, client_of):
    account = MailAccount.objects.create(
        name="Shared", host="imap.example", username="sales", password="s3cret-imap-pw"
    )
    client = client_of(administrator)
    url = f"/admin/mail/mailaccount/{account.pk}/change/"
    page = client.get(url).content.decode()
    assert "s3cret-imap-pw" not in page
    data = {
        "name": "Shared", "host": "imap.example", "port": 993, "security": "ssl",
        "username": "sales", "password": "", "folder": "INBOX", "owner": "", "active": "on",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.password == "s3cret-imap-pw"


def test_only_administrators_reach_the_accounts(manager, client_of):
    response = client_of(manager).get("/admin/mail/mailaccount/")
    assert response.status_code == 302  # to the admin sign-in: managers are not staff
