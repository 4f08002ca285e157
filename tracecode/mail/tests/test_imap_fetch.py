"""`tracecode mail fetch` against a real dovecot on loopback: new mail once, UIDs remembered."""

import pytest
from django.core.management import call_command

from tracecode.mail import services
from tracecode.mail.models import MailAccount, MailMessage

from .dovecot import dovecot  # noqa: F401  (fixture)
from .factories import customer_with_project, mail_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(dovecot):  # noqa: F811
    return MailAccount.objects.create(
        name="Company mailbox",
        host="127.0.0.1",
        port=dovecot.port,
        security=MailAccount.Security.PLAIN,
        username=dovecot.user,
        password=dovecot.password,
    )


def test_fetch_imports_new_mail_and_remembers_where_it_stopped(alice, dovecot, account):  # noqa: F811
    _c, _p, order = customer_with_project(alice)
    dovecot.deliver(mail_bytes(subject=f"[{order}] enquiry"))
    dovecot.deliver(mail_bytes(subject="hello"))
    report = services.fetch_account(account)
    assert (report.imported, report.skipped, report.failed, report.error) == (2, 0, 0, "")
    account.refresh_from_db()
    assert account.last_uid == 2
    assert account.uidvalidity
    assert MailMessage.objects.get(subject=f"[{order}] enquiry").links.get().code == order
    assert MailMessage.objects.get(subject="hello").source == MailMessage.Source.IMAP

    again = services.fetch_account(account)
    assert (again.imported, again.skipped) == (0, 0)  # nothing re-read

    dovecot.deliver(mail_bytes(subject="third"))
    third = services.fetch_account(account)
    assert (third.imported, third.skipped) == (1, 0)
    account.refresh_from_db()
    assert account.last_uid == 3


def test_a_new_uidvalidity_refetches_and_message_ids_skip_repeats(dovecot, account):  # noqa: F811
    dovecot.deliver(mail_bytes(subject="one"))
    dovecot.deliver(mail_bytes(subject="two"))
    services.fetch_account(account)
    account.refresh_from_db()
    old = account.uidvalidity
    dovecot.reset_uidvalidity()
    report = services.fetch_account(account)
    account.refresh_from_db()
    assert account.uidvalidity != old
    assert (report.imported, report.skipped) == (0, 2)
    assert MailMessage.objects.count() == 2


def test_a_wrong_password_is_reported_without_the_password(dovecot, account, capsys):  # noqa: F811
    account.password = "wrong-secret-xyz"
    account.save()
    with pytest.raises(Exception, match="some accounts could not be fetched"):
        call_command("mail", "fetch")
    captured = capsys.readouterr()
    account.refresh_from_db()
    assert "wrong-secret-xyz" not in captured.out + captured.err + account.last_error
    assert "127.0.0.1" in account.last_error


def test_the_command_prints_counts(dovecot, account, capsys):  # noqa: F811
    dovecot.deliver(mail_bytes(subject="one"))
    call_command("mail", "fetch")
    assert (
        "Company mailbox: imported 1, skipped 0 (duplicates), failed 0" in capsys.readouterr().out
    )
