"""The watched folder scanned from the task worker, every TRACECODE_INBOX_SECONDS.

`scan_inbox` scans and enqueues the next run, also after a failure; `schedule_scan()` starts
that chain once (`tracecode serve` calls it): while a scan is waiting or running it adds
none, whichever app server asks, so a second start never makes a second chain
(tracecode/core/chains.py). Or use cron: `tracecode inbox scan`.
"""

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from tracecode.core import chains

from . import services

log = logging.getLogger(__name__)

# A scan running longer than this is taken for one whose worker was killed.
SCAN_RUNS_AT_MOST = datetime.timedelta(hours=1)


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
    delay = period if seconds is None else seconds
    return chains.enqueue_once(
        scan_inbox,
        run_after=timezone.now() + datetime.timedelta(seconds=delay),
        exclude=exclude,
        stale_after=SCAN_RUNS_AT_MOST,
    )
