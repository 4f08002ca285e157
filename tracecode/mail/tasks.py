"""Background work: an uploaded batch of mail files is imported by a task worker.

Run the worker with `tracecode db_worker` (django-tasks-db). IMAP accounts are fetched on a
schedule by `fetch_mail_accounts`, which re-enqueues itself (see README: or use cron).
"""

import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from . import services


@task
def import_batch(batch_id: int) -> dict:
    return services.run_batch(batch_id)


@task
def fetch_mail_accounts(repeat_minutes: int = 0) -> list[str]:
    """Fetch every active account; with repeat_minutes, enqueue the next run that much later."""
    reports = [
        f"{r.account}: {r}" + (f"; {r.error}" if r.error else "") for r in services.fetch_all()
    ]
    minutes = repeat_minutes or getattr(settings, "MAIL_FETCH_MINUTES", 0)
    if minutes:
        run_after = timezone.now() + datetime.timedelta(minutes=minutes)
        fetch_mail_accounts.using(run_after=run_after).enqueue(minutes)
    return reports
