"""A long import in the background: its page shows rows done, rows per second and time left
while the import's own transaction is still open, read from what the worker publishes."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tracecode.imports import progress, services
from tracecode.imports.models import ImportRun

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_shows_the_progress_the_worker_publishes(manager, client_of):
    run = services.start(manager, "customers", ContentFile(b"Company name\nX\n", name="c.csv"),
                         enqueue=False)  # fmt: skip
    progress.started(run)
    ImportRun.objects.filter(pk=run.pk).update(
        total=1000, started_at=timezone.now() - datetime.timedelta(seconds=10)
    )
    publish = progress.Publisher(run)
    try:
        publish(done=250, total=1000, new=250)
        live = ImportRun.objects.get(pk=run.pk).live()
        assert (live.done, live.percent) == (250, 25)
        assert 20 <= live.rate <= 30 and live.time_left.total_seconds() > 20
        page = client_of(manager).get(reverse("imports:run", args=[run.pk])).content.decode()
        assert "250 of 1000 rows" in page and "rows a second" in page and "left" in page
        assert 'hx-trigger="every 1s"' in page  # it keeps asking until the work is done
    finally:
        publish.close()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.DONE, done=1000)
    page = client_of(manager).get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' not in page
