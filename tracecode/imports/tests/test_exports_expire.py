"""An export's file is kept TRACECODE_EXPORT_KEEP_DAYS days (7 unless set): older files are
deleted when the next export runs and by `tracecode exports clean`; the run stays, shown as
expired on its page and in the API."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tracecode.imports import services
from tracecode.imports.models import ExportRun
from tracecode.testing.factories import new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(alice, lists, settings):
    """Alice's export written ten days ago and one written today."""
    settings.EXPORT_DIRECT_ROWS = 0
    new_customer(alice, "Nordwerk GmbH")

    runs = []
    for days_ago in (10, 0):
        run = services.start_export(alice, "customers", "", "csv", enqueue=False)
        services.execute_export(run.pk)
        runs.append((run.pk, days_ago))
    for pk, days_ago in runs:
        finished = timezone.now() - datetime.timedelta(days=days_ago, seconds=1)
        ExportRun.objects.filter(pk=pk).update(finished_at=finished)
    return [ExportRun.objects.get(pk=pk) for pk, _days in runs]


def test_files_older_than_the_days_kept_are_deleted_the_others_stay(written):
    old, new = written
    name = old.file.name
    assert default_storage.exists(name) and default_storage.exists(new.file.name)
    assert services.delete_expired_exports() == 1
    assert not default_storage.exists(name)
    old.refresh_from_db()
    assert old.expired and not old.ready and not old.file
    assert default_storage.exists(new.file.name) and not ExportRun.objects.get(pk=new.pk).expired
    assert services.delete_expired_exports() == 0  # once


def test_the_days_kept_are_a_setting(written, settings):
    settings.EXPORT_KEEP_DAYS = 30
    assert services.delete_expired_exports() == 0
    settings.EXPORT_KEEP_DAYS = 0
    assert services.delete_expired_exports() == 2


def test_the_next_export_deletes_them(written, alice):
    services.execute_export(services.start_export(alice, "customers", "", "csv").pk)
    assert ExportRun.objects.get(pk=written[0].pk).expired
    assert not ExportRun.objects.get(pk=written[1].pk).expired


def test_the_command_deletes_them(written):
    out = io.StringIO()
    call_command("exports", "clean", stdout=out)
    assert out.getvalue().startswith("1 export files deleted")
    assert ExportRun.objects.get(pk=written[0].pk).expired


def test_the_page_and_the_api_say_it_expired(written, client_of, alice, client, token_of):
    services.delete_expired_exports()
    old = written[0]
    page = client_of(alice).get(reverse("imports:export_run", args=[old.pk])).content.decode()
    assert 'data-testid="export-expired"' in page and "deleted 7 days after" in page
    assert reverse("imports:export_file", args=[old.pk]) not in page
    chinese = client_of(alice).get(reverse("imports:export_run", args=[old.pk]),
                                   HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()  # fmt: skip
    assert "已过期" in chinese and "7 天后已删除" in chinese
    assert client_of(alice).get(reverse("imports:export_file", args=[old.pk])).status_code == 404
    auth = {"Authorization": token_of(alice)}
    listed = client.get("/api/imports/exports", headers=auth).json()["items"]
    assert {e["id"]: (e["expired"], e["file_url"] is None) for e in listed} == {
        old.pk: (True, True), written[1].pk: (False, False)}  # fmt: skip
    answer = client.get(f"/api/imports/exports/{old.pk}/file", headers=auth)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "expired"
