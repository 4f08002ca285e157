"""Background work: the scheduled backup, and one started from the Backups page.

`scheduled_backup` takes, verifies and prunes, then enqueues itself again
TRACECODE_BACKUP_HOURS later (also after a failure: a schedule never stops by itself);
`schedule_backup()` starts that chain once, when `tracecode serve` starts.
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from . import services
from .models import Backup

log = logging.getLogger(__name__)


@task
def run_backup(backup_id: int) -> str:
    """Take and verify a backup recorded by the Backups page."""
    backup = services.run(Backup.objects.get(pk=backup_id))
    return f"{backup.name}: {backup.get_status_display()}, {backup.get_verification_display()}"


@task
def verify_backup(backup_id: int) -> str:
    backup = services.verify_backup(Backup.objects.get(pk=backup_id))
    return f"{backup.name}: {backup.get_verification_display()}"


@task
def scheduled_backup(repeat_hours: float = 0) -> str:
    """Take, verify and prune; with repeat_hours, enqueue the next run that much later."""
    try:
        backup = services.run(services.start(scheduled=True))
        return f"{backup.name}: {backup.get_status_display()}, {backup.get_verification_display()}"
    finally:
        schedule_backup(repeat_hours, after=timezone.now())


def _waiting(backend) -> bool:
    """Whether a scheduled backup is already queued (only the database backend can tell)."""
    try:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=scheduled_backup.module_path,
        backend_name=backend.alias,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_backup(hours: float = 0, after: datetime.datetime | None = None) -> bool:
    """Enqueue the next scheduled backup (every TRACECODE_BACKUP_HOURS); False if none is made.

    It runs `hours` after `after`; without `after` (the first one, when the app starts) one
    period after the last scheduled backup, or now if that is overdue or there is none.
    None is made when the period is 0, when one is already waiting, or when the task backend
    cannot run tasks later.
    """
    hours = hours or settings.BACKUP_HOURS
    if hours <= 0:
        return False
    backend = scheduled_backup.get_backend()
    if not backend.supports_defer:
        log.warning("backups: the task backend cannot run tasks later; use cron instead")
        return False
    if _waiting(backend):
        return False
    period = datetime.timedelta(hours=hours)
    if after is None:
        last = Backup.objects.filter(scheduled=True).order_by("-started_at").first()
        after = last.started_at if last else timezone.now() - period
    run_after = max(after + period, timezone.now())
    scheduled_backup.using(run_after=run_after).enqueue(hours)
    return True
