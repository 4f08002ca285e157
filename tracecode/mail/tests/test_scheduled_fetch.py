"""Scheduled fetch: the database task worker fetches from a real dovecot and re-enqueues itself.

These run the real django-tasks-db backend and its `db_worker --batch` (not the immediate
backend the other mail tests use), then read the DBTaskResult rows the schedule leaves behind.
"""

import datetime

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracecode.mail import services, tasks
from tracecode.mail.models import MailAccount, MailMessage

from .dovecot import dovecot  # noqa: F401  (fixture)
from .factories import mail_bytes

# The worker commits and locks rows as in production: a real transaction, not a test one.
pytestmark = pytest.mark.django_db(transaction=True)

TASK = "tracecode.mail.tasks.fetch_mail_accounts"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_FETCH_MINUTES = 0


@pytest.fixture
def account(dovecot):  # noqa: F811
    return MailAccount.objects.create(
        name="Company mailbox", host="127.0.0.1", port=dovecot.port,
        security=MailAccount.Security.PLAIN, username=dovecot.user, password=dovecot.password,
    )  # fmt: skip


def run_worker() -> None:
    """What `tracecode db_worker` does, until no task is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY))


def make_due(row: DBTaskResult) -> None:
    """As if its time had come."""
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())


def test_the_worker_fetches_and_enqueues_the_next_run(database_tasks, dovecot, account):  # noqa: F811
    dovecot.deliver(mail_bytes(subject="morning order"))
    tasks.fetch_mail_accounts.enqueue(5)
    run_worker()

    assert list(MailMessage.objects.values_list("subject", flat=True)) == ["morning order"]
    done = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == [f"{account}: imported 1, skipped 0 (duplicates), failed 0"]
    [following] = waiting()
    assert following.args_kwargs == {"args": [5], "kwargs": {}}
    expected = done.finished_at + datetime.timedelta(minutes=5)
    assert abs(following.run_after - expected) < datetime.timedelta(seconds=30)

    # Not due yet: a worker leaves it alone.
    run_worker()
    assert waiting() == [following]
    assert MailMessage.objects.count() == 1

    # When it is due, it fetches the new mail only and enqueues the run after it.
    dovecot.deliver(mail_bytes(subject="afternoon reply"))
    make_due(following)
    run_worker()
    assert MailMessage.objects.count() == 2
    assert DBTaskResult.objects.filter(task_path=TASK, status="SUCCESSFUL").count() == 2
    [third] = waiting()
    assert third.pk != following.pk and third.run_after > timezone.now()


def test_a_failing_run_still_enqueues_the_next(database_tasks, account, monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "fetch_all", broken)
    tasks.fetch_mail_accounts.enqueue(5)
    run_worker()
    failed = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.FAILED)
    assert "database went away" in failed.traceback
    assert len(waiting()) == 1


def test_an_account_that_fails_is_reported_and_the_schedule_goes_on(
    database_tasks,
    dovecot,  # noqa: F811
    account,
):
    MailAccount.objects.create(
        name="Broken box", host="127.0.0.1", port=dovecot.port,
        security=MailAccount.Security.PLAIN, username=dovecot.user, password="wrong-secret-xyz",
    )  # fmt: skip
    dovecot.deliver(mail_bytes(subject="still fetched"))
    tasks.fetch_mail_accounts.enqueue(10)
    run_worker()
    done = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.SUCCESSFUL)
    broken, company = done.return_value
    assert broken.startswith("Broken box") and "127.0.0.1" in broken
    assert "wrong-secret-xyz" not in broken
    assert company.startswith("Company mailbox") and "imported 1" in company
    assert MailMessage.objects.get().subject == "still fetched"
    assert len(waiting()) == 1


def test_starting_the_schedule_twice_keeps_one_chain(database_tasks, settings):
    assert tasks.schedule_fetch() is False  # MAIL_FETCH_MINUTES = 0: no schedule
    settings.MAIL_FETCH_MINUTES = 15
    assert tasks.schedule_fetch() is True
    assert tasks.schedule_fetch() is False
    [row] = waiting()
    assert row.args_kwargs["args"] == [15]
    assert row.run_after > timezone.now() + datetime.timedelta(minutes=14)
    # A fetch that is running counts too (another server's worker runs it): none is added.
    started = timezone.now() - datetime.timedelta(minutes=30)
    DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING", started_at=started)
    assert tasks.schedule_fetch() is False
    # One running for longer than a fetch can take lost its worker: the chain starts again.
    started = timezone.now() - tasks.FETCH_RUNS_AT_MOST - datetime.timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    assert tasks.schedule_fetch() is True


def test_a_backend_that_cannot_wait_runs_once_without_looping(db, account, settings):
    """The immediate backend runs at once and cannot defer: no endless chain, no crash."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.fetch_mail_accounts.enqueue(5)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert tasks.schedule_fetch(5) is False
