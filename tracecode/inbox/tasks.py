"""The watched folder scanned from the task worker, every TRACECODE_INBOX_SECONDS.

`scan_inbox` scans and enqueues the next run, also after a failure; `schedule_scan()` starts
that chain once (`tracecode serve` calls it): while a scan is waiting or running it adds
none, so a second start never makes a second chain. Or use cron: `tracecode inbox scan`.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from . import services

log = logging.getLogger(__name__)

CHAIN_LOCK = 0x7472_6163_6569_6E62  # "traceinb": serialises schedulers on PostgreSQL


@task(takes_context=True)
def scan_inbox(context) -> list[str]:
    """One scan of the watched folder; then the next one is enqueued."""
    try:
        return services.scan().lines()
    except services.InboxError as error:
        log.warning("inbox: %s", error)
        return [str(error)]
    finally:
        schedule_scan(exclude=context.task_result.id)


def _chained(backend, exclude=None) -> bool:
    """Whether a scan is already waiting or running (only the database backend can tell)."""
    try:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    if not isinstance(backend, DatabaseBackend):
        return False
    return (
        DBTaskResult.objects.filter(
            task_path=scan_inbox.module_path,
            backend_name=backend.alias,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        )
        .exclude(pk=exclude)
        .exists()
    )


def schedule_scan(*, seconds=None, exclude=None) -> bool:
    """Enqueue the next scan in `seconds` (default INBOX_SECONDS); False if none is made.

    None is made when no folder is set or the interval is 0, when a scan is already waiting
    or running (`exclude`: the running scan that asks), or when the task backend cannot run
    tasks later.
    """
    period = settings.INBOX_SECONDS
    if not settings.INBOX_DIR or period <= 0:
        return False
    backend = scan_inbox.get_backend()
    if not backend.supports_defer:
        log.warning("inbox: the task backend cannot run tasks later; use cron instead")
        return False
    with transaction.atomic():  # SQLite: the immediate transaction serialises schedulers
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        if _chained(backend, exclude):
            return False
        delay = period if seconds is None else seconds
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        scan_inbox.using(run_after=run_after).enqueue()
    return True
