"""IMAP over TLS against a real dovecot: implicit TLS and STARTTLS, the certificate verified.

The server's certificate is signed by a throwaway CA made for the test; Tracecode trusts it only
through TRACECODE_MAIL_IMAP_CA_FILE. Without it the connection is refused before the password
is sent, and the account records why.
"""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracecode.mail import services
from tracecode.mail.models import MailAccount, MailMessage

from .dovecot import dovecot, dovecot_tls  # noqa: F401  (fixtures)
from .factories import customer_with_project, mail_bytes

pytestmark = pytest.mark.django_db


def account_for(server, security, port=None, host="127.0.0.1"):
    return MailAccount.objects.create(
        name=f"Mailbox over {security}",
        host=host,
        port=port or server.port,
        security=security,
        username=server.user,
        password=server.password,
    )


def logins(server) -> list[str]:
    """The server log's successful logins: 'TLS' in each when the session was encrypted."""
    return [line for line in server.log().splitlines() if "Login: user=<buyer>" in line]


def test_fetch_over_implicit_tls_trusts_the_configured_ca(alice, dovecot_tls, settings):  # noqa: F811
    settings.MAIL_IMAP_CA_FILE = str(dovecot_tls.ca_file)
    _c, _p, order = customer_with_project(alice)
    dovecot_tls.deliver(mail_bytes(subject=f"[{order}] drawing over TLS"))
    account = account_for(dovecot_tls, MailAccount.Security.SSL, port=dovecot_tls.imaps_port)

    report = services.fetch_account(account)

    assert (report.imported, report.failed, report.error) == (1, 0, "")
    mail = MailMessage.objects.get()
    assert (mail.subject, mail.source) == (f"[{order}] drawing over TLS", MailMessage.Source.IMAP)
    assert mail.links.get().code == order
    account.refresh_from_db()
    assert (account.last_uid, account.last_error) == (1, "")
    assert logins(dovecot_tls) and all("TLS" in line for line in logins(dovecot_tls))


def test_fetch_over_starttls_by_the_command(dovecot_tls, settings, capsys):  # noqa: F811
    settings.MAIL_IMAP_CA_FILE = str(dovecot_tls.ca_file)
    dovecot_tls.deliver(mail_bytes(subject="first"))
    dovecot_tls.deliver(mail_bytes(subject="second"))
    account_for(dovecot_tls, MailAccount.Security.STARTTLS)

    call_command("mail", "fetch")

    out = capsys.readouterr().out
    assert "Mailbox over starttls: imported 2, skipped 0 (duplicates), failed 0" in out
    assert set(MailMessage.objects.values_list("subject", flat=True)) == {"first", "second"}
    assert logins(dovecot_tls) and all("TLS" in line for line in logins(dovecot_tls))


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_an_unverified_certificate_is_refused_and_recorded(
    dovecot_tls,  # noqa: F811
    settings,
    security,
    caplog,
    capsys,
    admin_client,
):
    settings.MAIL_IMAP_CA_FILE = ""  # the system's CAs only: they never signed the test server
    dovecot_tls.deliver(mail_bytes(subject="must not be read"))
    port = dovecot_tls.imaps_port if security == "ssl" else dovecot_tls.port
    account = account_for(dovecot_tls, security, port=port)

    with caplog.at_level(logging.INFO):
        report = services.fetch_account(account)
        with pytest.raises(CommandError, match="some accounts could not be fetched"):
            call_command("mail", "fetch")

    account.refresh_from_db()
    assert report.imported == 0
    assert MailMessage.objects.count() == 0
    assert account.last_error.startswith(f"127.0.0.1:{port}: ")
    assert "certificate could not be verified" in account.last_error
    assert "TRACECODE_MAIL_IMAP_CA_FILE" in account.last_error
    assert account.last_fetched_at is not None and account.last_uid == 0
    assert logins(dovecot_tls) == []  # the password never left
    page = admin_client.get(f"/admin/mail/mailaccount/{account.pk}/change/")
    assert page.status_code == 200
    assert "certificate could not be verified" in page.content.decode()
    seen = caplog.text + capsys.readouterr().err + account.last_error + page.content.decode()
    assert dovecot_tls.password not in seen


def test_a_wrong_ca_file_is_reported_on_the_account(dovecot_tls, settings, tmp_path):  # noqa: F811
    settings.MAIL_IMAP_CA_FILE = str(tmp_path / "missing-ca.pem")
    account = account_for(dovecot_tls, MailAccount.Security.SSL, port=dovecot_tls.imaps_port)
    report = services.fetch_account(account)
    account.refresh_from_db()
    assert "missing-ca.pem cannot be used" in report.error == account.last_error
    assert logins(dovecot_tls) == []


def test_starttls_is_required_when_the_account_asks_for_it(dovecot, settings):  # noqa: F811
    """A server (or a man in the middle) that offers no STARTTLS never receives the password."""
    dovecot.deliver(mail_bytes(subject="plain only"))
    account = account_for(dovecot, MailAccount.Security.STARTTLS)
    report = services.fetch_account(account)
    account.refresh_from_db()
    assert "does not offer STARTTLS" in account.last_error
    assert report.error == account.last_error
    assert logins(dovecot) == []
    assert MailMessage.objects.count() == 0


def test_no_encryption_is_refused_beyond_loopback(db):
    account = MailAccount.objects.create(
        name="Careless", host="imap.example", port=143, security=MailAccount.Security.PLAIN,
        username="buyer", password="secret-pw",
    )  # fmt: skip
    report = services.fetch_account(account)
    account.refresh_from_db()
    assert "only connect to this machine" in account.last_error
    assert report.error == account.last_error
