"""Chains of scheduled tasks: a task that enqueues its own next run (the mail fetch, the
scheduled backup, the watched folder's scan).

However many app servers and task workers share the database, a chain has at most one link
waiting or running: `enqueue_once()` is the one way a link is added. Schedulers are serialised
across processes and machines (PostgreSQL: an advisory lock on the task's path, held until
commit; SQLite: the write lock of the immediate transaction), so two servers starting at once
add one link, and a run that enqueues its successor (`exclude`) does not count itself.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.tasks.base import TaskResultStatus
from django.utils import timezone

LOCK = "SELECT pg_advisory_xact_lock(hashtext(%s))"


def _rows(task):
    """The task's rows in the database backend, or None for a backend that keeps none."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(task_path=task.module_path, backend_name=backend.alias)


def chained(task, *, exclude=None, stale_after: datetime.timedelta) -> bool:
    """Whether a run of `task` is waiting, or running since less than `stale_after` (a run
    older than that is taken for one whose worker was killed)."""
    rows = _rows(task)
    if rows is None:
        return False
    started_since = timezone.now() - stale_after
    waiting = rows.filter(status=TaskResultStatus.READY)
    running = rows.filter(
        Q(started_at__gte=started_since) | Q(started_at=None), status=TaskResultStatus.RUNNING
    )
    return (waiting | running).exclude(pk=exclude).exists()


def enqueue_once(
    task,
    *,
    run_after: datetime.datetime,
    args: tuple = (),
    exclude=None,
    stale_after: datetime.timedelta,
) -> bool:
    """Enqueue `task(*args)` to run after `run_after` unless its chain already has a link;
    True when one was added. `exclude`: the id of the run that asks."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(LOCK, [f"tracecode chain {task.module_path}"])
        if chained(task, exclude=exclude, stale_after=stale_after):
            return False
        task.using(run_after=run_after).enqueue(*args)
    return True
