"""The watched folder scanned by the real task worker (django-tasks-db's `db_worker`), every
INBOX_SECONDS, as one chain that never doubles."""

import datetime

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracecode.files.models import StoredFile
from tracecode.files.tests.factories import pdf
from tracecode.inbox import services, tasks

# The worker commits and locks rows as in production: a real transaction, not a test one.
pytestmark = pytest.mark.django_db(transaction=True)

TASK = "tracecode.inbox.tasks.scan_inbox"


@pytest.fixture
def database_tasks(settings, inbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.INBOX_SECONDS = 30
    return inbox


def run_worker() -> None:
    """What `tracecode db_worker` does, until no task is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY))


def make_due(row: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())


def test_the_worker_scans_and_enqueues_the_next_scan(database_tasks, order):
    inbox = database_tasks
    (inbox / f"{order.code} inspection report.pdf").write_bytes(pdf())
    assert tasks.schedule_scan(seconds=0) is True  # what `tracecode serve` does
    run_worker()

    assert StoredFile.objects.get().code == order.code
    done = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == [
        f"filed {order.code} inspection report.pdf under {order.code} as QC report",
        "filed 1, already filed 0, failed 0, waiting 0",
    ]
    [following] = waiting()
    expected = done.finished_at + datetime.timedelta(seconds=30)
    assert abs(following.run_after - expected) < datetime.timedelta(seconds=10)

    run_worker()  # not due yet: left alone
    assert waiting() == [following]

    (inbox / f"{order.code} PL.pdf").write_bytes(pdf("packing list"))
    make_due(following)
    run_worker()
    assert StoredFile.objects.count() == 2
    assert len(waiting()) == 1 and waiting()[0].pk != following.pk


def test_a_failing_scan_still_enqueues_the_next(database_tasks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("share went away")

    monkeypatch.setattr(services, "scan", broken)
    tasks.schedule_scan(seconds=0)
    run_worker()
    failed = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.FAILED)
    assert "share went away" in failed.traceback
    assert len(waiting()) == 1


def test_a_missing_setting_is_reported_and_the_schedule_goes_on(database_tasks, settings):
    settings.INBOX_USER = "nobody"
    tasks.schedule_scan(seconds=0)
    run_worker()
    done = DBTaskResult.objects.get(task_path=TASK, status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == ["TRACECODE_INBOX_USER names no active user: 'nobody'"]
    assert len(waiting()) == 1


def test_starting_twice_keeps_one_chain(database_tasks, settings):
    assert tasks.schedule_scan() is True
    assert tasks.schedule_scan() is False
    assert tasks.schedule_scan(seconds=0) is False
    [row] = waiting()
    assert row.run_after > timezone.now() + datetime.timedelta(seconds=25)
    # A scan that is running counts too: starting the server then adds none.
    started = timezone.now() - datetime.timedelta(minutes=50)
    DBTaskResult.objects.filter(pk=row.pk).update(status="RUNNING", started_at=started)
    assert tasks.schedule_scan() is False
    # One running for longer than a scan can take lost its worker: the chain starts again.
    started = timezone.now() - tasks.SCAN_RUNS_AT_MOST - datetime.timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    assert tasks.schedule_scan() is True


def test_no_folder_or_no_period_no_schedule(database_tasks, settings):
    settings.INBOX_SECONDS = 0
    assert tasks.schedule_scan() is False
    settings.INBOX_SECONDS, settings.INBOX_DIR = 30, ""
    assert tasks.schedule_scan() is False
    assert waiting() == []


def test_a_backend_that_cannot_wait_runs_once_without_looping(inbox, settings, order):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    (inbox / f"{order.code} QC.pdf").write_bytes(pdf())
    result = tasks.scan_inbox.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert StoredFile.objects.count() == 1
    assert tasks.schedule_scan() is False
