"""An administrator takes a backup from the Backups page and watches the task worker prove it."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from playwright.sync_api import expect

from tracecode.sales.tests.factories import make_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _backup_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BACKUP_TO = str(tmp_path / "backups")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(settings) -> None:
    """`tracecode db_worker` in its own process, on the live server's database."""
    s = connection.settings_dict
    url = (
        f"sqlite:///{s['NAME']}"
        if connection.vendor == "sqlite"
        else f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    )
    env = {
        **os.environ,
        "TRACECODE_DATABASE_URL": url,
        "TRACECODE_FILES_DIR": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "tracecode", "db_worker", "--batch", "--no-startup-delay"]
    done = subprocess.run([*command, "--interval", "0"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_administrator_backs_up_now_and_sees_it_verified(
    page, sign_in, administrator, alice, settings
):
    make_customer(alice, name="Milano Motori S.p.A.")
    sign_in(administrator)
    page.get_by_role("button", name="Ada").click()
    page.get_by_role("link", name="Backups").click()
    expect(page.get_by_text("No backup yet.")).to_be_visible()
    page.get_by_role("button", name="Back up now").click()

    progress = page.locator("#backup-progress")
    expect(progress).to_contain_text("Waiting for the task worker")
    run_worker(settings)  # the page keeps polling while the worker takes and proves it
    expect(page.get_by_test_id("verification")).to_have_text("verified", timeout=30_000)
    expect(page.get_by_test_id("backup-summary")).to_contain_text("files.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.startswith("tracecode-")

    page.get_by_role("link", name="All backups").click()
    expect(page.get_by_test_id("backups").get_by_role("row")).to_have_count(2)
