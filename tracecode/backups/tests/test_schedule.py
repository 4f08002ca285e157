"""The scheduled backup: the real task worker takes, verifies and prunes, then enqueues the next.

These run the django-tasks-db backend and its `db_worker --batch`, as `tracecode serve` does.
"""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tracecode.backups import services, tasks
from tracecode.backups.models import Backup
from tracecode.sales.tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)

TASK = "tracecode.backups.tasks.scheduled_backup"


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.BACKUP_HOURS = 24


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK, status=TaskResultStatus.READY))


def test_the_worker_backs_up_verifies_and_enqueues_the_next(database_tasks, alice, settings):
    make_customer(alice)
    assert tasks.schedule_backup()  # none before: the first one is due now
    assert not tasks.schedule_backup()  # a second start never doubles the schedule
    [first] = waiting()
    DBTaskResult.objects.filter(pk=first.pk).update(status="RUNNING", started_at=timezone.now())
    assert not tasks.schedule_backup()  # nor does one while it runs on another server
    DBTaskResult.objects.filter(pk=first.pk).update(status="READY", started_at=None)
    run_worker()

    backup = Backup.objects.get()
    assert backup.scheduled and backup.status == Backup.Status.DONE
    assert backup.verification == Backup.Verification.OK, backup.verify_error
    assert (Path(settings.BACKUP_TO) / backup.name).is_file()
    [following] = waiting()
    assert following.args_kwargs == {"args": [24], "kwargs": {}}
    expected = backup.finished_at + datetime.timedelta(hours=24)
    assert abs(following.run_after - expected) < datetime.timedelta(minutes=1)

    run_worker()  # not due yet
    assert Backup.objects.count() == 1 and waiting() == [following]


def test_a_failed_backup_still_enqueues_the_next_and_warns(database_tasks, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the backups folder should be")
    settings.BACKUP_TO = str(blocked)
    tasks.scheduled_backup.enqueue(24)
    run_worker()

    backup = Backup.objects.get()
    assert backup.status == Backup.Status.FAILED and "not-a-folder" in backup.error
    assert len(waiting()) == 1
    assert services.warning().startswith("The backup of ")


def test_after_a_restart_the_next_backup_follows_the_last_one(database_tasks, settings):
    last = Backup.objects.create(
        name="tracecode-20261201-020000.tar", location=settings.BACKUP_TO, scheduled=True,
        status=Backup.Status.DONE, started_at=timezone.now() - datetime.timedelta(hours=3),
    )  # fmt: skip
    assert tasks.schedule_backup()
    [following] = waiting()
    expected = last.started_at + datetime.timedelta(hours=24)
    assert abs(following.run_after - expected) < datetime.timedelta(minutes=1)


def test_no_schedule_when_the_period_is_zero(database_tasks, settings):
    settings.BACKUP_HOURS = 0
    assert not tasks.schedule_backup()
    assert waiting() == []
