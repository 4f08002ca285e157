"""Background work: an uploaded batch of mail files is imported by a task worker.

Run the worker with `tracecode db_worker` (django-tasks-db). IMAP accounts are fetched on a
schedule by `fetch_mail_accounts`, which re-enqueues itself (see README: or use cron);
`schedule_fetch()` starts that chain once: while a fetch is waiting or running it adds none,
whichever app server asks (tracecode/core/chains.py).
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from tracecode.core import chains

from . import services

log = logging.getLogger(__name__)

# A fetch running longer than this is taken for one whose worker was killed.
FETCH_RUNS_AT_MOST = datetime.timedelta(hours=1)


@task
def import_batch(batch_id: int) -> dict:
    return services.run_batch(batch_id)


@task(takes_context=True)
def fetch_mail_accounts(context, repeat_minutes: int = 0) -> list[str]:
    """Fetch every active account; with repeat_minutes, enqueue the next run that much later.

    The next run is enqueued even when this one fails: a schedule never stops by itself.
    """
    try:
        return [
            f"{r.account}: {r}" + (f"; {r.error}" if r.error else "") for r in services.fetch_all()
        ]
    finally:
        schedule_fetch(repeat_minutes, exclude=context.task_result.id)


def schedule_fetch(minutes: int = 0, *, exclude=None) -> bool:
    """Enqueue the next fetch in `minutes` (default MAIL_FETCH_MINUTES); False if none is made.

    None is made when the interval is 0, when a fetch is already waiting or running
    (`exclude`: the run that asks), so a second start never doubles the schedule, or when the
    task backend cannot run tasks later.
    """
    minutes = minutes or getattr(settings, "MAIL_FETCH_MINUTES", 0)
    if minutes <= 0:
        return False
    backend = fetch_mail_accounts.get_backend()
    if not backend.supports_defer:
        log.warning("mail fetch: the task backend cannot run tasks later; use cron instead")
        return False
    return chains.enqueue_once(
        fetch_mail_accounts,
        run_after=timezone.now() + datetime.timedelta(minutes=minutes),
        args=(minutes,),
        exclude=exclude,
        stale_after=FETCH_RUNS_AT_MOST,
    )
