"""Background work: an uploaded batch of mail files is imported by a task worker.

Run the worker with `tracecode db_worker` (django-tasks-db). IMAP accounts are fetched on a
schedule by `fetch_mail_accounts`, which re-enqueues itself (see README: or use cron);
`schedule_fetch()` starts that chain once (it does nothing while a next run is waiting).
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone

from . import services

log = logging.getLogger(__name__)


@task
def import_batch(batch_id: int) -> dict:
    return services.run_batch(batch_id)


@task
def fetch_mail_accounts(repeat_minutes: int = 0) -> list[str]:
    """Fetch every active account; with repeat_minutes, enqueue the next run that much later.

    The next run is enqueued even when this one fails: a schedule never stops by itself.
    """
    try:
        return [
            f"{r.account}: {r}" + (f"; {r.error}" if r.error else "") for r in services.fetch_all()
        ]
    finally:
        schedule_fetch(repeat_minutes)


def _waiting(backend) -> bool:
    """Whether a fetch is already queued (only the database backend can tell)."""
    try:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=fetch_mail_accounts.module_path,
        backend_name=backend.alias,
        status=TaskResultStatus.READY,
    ).exists()


def schedule_fetch(minutes: int = 0) -> bool:
    """Enqueue the next fetch in `minutes` (default MAIL_FETCH_MINUTES); False if none is made.

    None is made when the interval is 0, when a fetch is already waiting (so a second start
    never doubles the schedule), or when the task backend cannot run tasks later.
    """
    minutes = minutes or getattr(settings, "MAIL_FETCH_MINUTES", 0)
    if minutes <= 0:
        return False
    backend = fetch_mail_accounts.get_backend()
    if not backend.supports_defer:
        log.warning("mail fetch: the task backend cannot run tasks later; use cron instead")
        return False
    if _waiting(backend):
        return False
    run_after = timezone.now() + datetime.timedelta(minutes=minutes)
    fetch_mail_accounts.using(run_after=run_after).enqueue(minutes)
    return True
