"""The progress of a background job that runs inside one long transaction (an import, all or
nothing), published where the page that polls it can read it before that transaction commits.

PostgreSQL: the job's row is updated through a connection of its own, in autocommit, so
other sessions see it at once. SQLite: one writer at a time, and the job's transaction holds
the write lock until it ends, so the progress goes to a small file in the data folder
instead (SQLite lives on one machine, as the worker and the pages then do), read beside the
row and removed when the job is done.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

FIELDS = ("done", "total", "new", "updated", "unchanged", "failed")


def _file(job) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"{job._meta.db_table}-{job.pk}.json"


class Publisher:
    """Publishes one job's progress while it runs; `close()` when the job is done."""

    def __init__(self, job):
        self.job = job
        self.own = None
        if connection.vendor != "sqlite":
            self.own = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, **values) -> None:
        values = {k: v for k, v in values.items() if k in FIELDS}
        if self.own is None:
            path = _file(self.job)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(values))
            os.replace(temporary, path)  # a reader never sees half a file
            return
        table = self.job._meta.db_table
        names = [n for n in values if n in {f.name for f in self.job._meta.concrete_fields}]
        if not names:
            return
        assignments = ", ".join(f"{self.own.ops.quote_name(n)} = %s" for n in names)
        with self.own.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.own.ops.quote_name(table)} SET {assignments} WHERE id = %s",
                [values[n] for n in names] + [self.job.pk],
            )

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
        _file(self.job).unlink(missing_ok=True)


def merged(job):
    """`job` as stored, with the progress published since (SQLite's side file)."""
    if job.is_active:
        try:
            values = json.loads(_file(job).read_text())
        except (OSError, ValueError):
            values = {}
        for name, value in values.items():
            if name in FIELDS:
                setattr(job, name, value)
    return job


def started(job) -> None:
    """Mark the job running, committed at once (before its own transaction opens)."""
    job.status = job.Status.RUNNING
    job.started_at = timezone.now()
    job.finished_at = None
    job.done = 0
    job.error = ""
    type(job).objects.filter(pk=job.pk).update(
        status=job.status, started_at=job.started_at, finished_at=None, done=0, error=""
    )
