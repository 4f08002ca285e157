"""Background work: the scheduled backup, and one started from the Backups page.

`scheduled_backup` takes, verifies and prunes, then enqueues itself again
TRACECODE_BACKUP_HOURS later (also after a failure: a schedule never stops by itself);
`schedule_backup()` starts that chain once, when `tracecode serve` starts: while a scheduled
backup is waiting or running it adds none, whichever app server asks (tracecode/core/chains.py).
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from tracecode.core import chains

from . import services
from .models import Backup

log = logging.getLogger(__name__)

# A scheduled backup running longer than this is taken for one whose worker was killed.
BACKUP_RUNS_AT_MOST = datetime.timedelta(hours=24)


@task
def run_backup(backup_id: int) -> str:
    """Take and verify a backup recorded by the Backups page."""
    backup = services.run(Backup.objects.get(pk=backup_id))
    return f"{backup.name}: {backup.get_status_display()}, {backup.get_verification_display()}"


@task
def verify_backup(backup_id: int) -> str:
    backup = services.verify_backup(Backup.objects.get(pk=backup_id))
    return f"{backup.name}: {backup.get_verification_display()}"


@task(takes_context=True)
def scheduled_backup(context, repeat_hours: float = 0) -> str:
    """Take, verify and prune; with repeat_hours, enqueue the next run that much later."""
    try:
        backup = services.run(services.start(scheduled=True))
        return f"{backup.name}: {backup.get_status_display()}, {backup.get_verification_display()}"
    finally:
        schedule_backup(repeat_hours, after=timezone.now(), exclude=context.task_result.id)


def schedule_backup(
    hours: float = 0, after: datetime.datetime | None = None, *, exclude=None
) -> bool:
    """Enqueue the next scheduled backup (every TRACECODE_BACKUP_HOURS); False if none is made.

    It runs `hours` after `after`; without `after` (the first one, when the app starts) one
    period after the last scheduled backup, or now if that is overdue or there is none.
    None is made when the period is 0, when one is already waiting or running (`exclude`: the
    run that asks), or when the task backend cannot run tasks later.
    """
    hours = hours or settings.BACKUP_HOURS
    if hours <= 0:
        return False
    backend = scheduled_backup.get_backend()
    if not backend.supports_defer:
        log.warning("backups: the task backend cannot run tasks later; use cron instead")
        return False
    period = datetime.timedelta(hours=hours)
    if after is None:
        last = Backup.objects.filter(scheduled=True).order_by("-started_at").first()
        after = last.started_at if last else timezone.now() - period
    return chains.enqueue_once(
        scheduled_backup,
        run_after=max(after + period, timezone.now()),
        args=(hours,),
        exclude=exclude,
        stale_after=BACKUP_RUNS_AT_MOST,
    )
