"""Every administrator is warned when the backups fall behind or one fails its proof."""

import datetime

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tracecode.backups.models import Backup

pytestmark = pytest.mark.django_db

WARNING = 'data-testid="backup-warning"'


def installed(days_ago: float) -> None:
    applied = timezone.now() - datetime.timedelta(days=days_ago)
    MigrationRecorder.Migration.objects.update(applied=applied)


def backup(hours_ago: float, **state) -> Backup:
    started = timezone.now() - datetime.timedelta(hours=hours_ago)
    values = {"status": Backup.Status.DONE, "verification": Backup.Verification.OK, **state}
    return Backup.objects.create(
        name=f"tracecode-{hours_ago}.tar", location="/srv/backups", started_at=started,
        finished_at=started, verified_at=started, **values,
    )  # fmt: skip


def home(client_of, user) -> str:
    return client_of(user).get("/").content.decode()


def test_a_new_installation_has_no_warning(client_of, administrator):
    assert WARNING not in home(client_of, administrator)


def test_no_verified_backup_in_two_periods_warns_administrators_only(
    client_of, administrator, alice, manager, settings
):
    settings.BACKUP_HOURS = 24
    installed(days_ago=3)
    page = home(client_of, administrator)
    assert WARNING in page and "No backup has been verified yet." in page
    assert WARNING not in home(client_of, alice)
    assert WARNING not in home(client_of, manager)


def test_an_old_verified_backup_warns_and_a_fresh_one_does_not(client_of, administrator, settings):
    settings.BACKUP_HOURS = 24
    installed(days_ago=30)
    backup(hours_ago=50)
    assert "more than two backup periods ago" in home(client_of, administrator)
    backup(hours_ago=1)
    assert WARNING not in home(client_of, administrator)


def test_a_failed_verification_warns_even_when_recent(client_of, administrator):
    installed(days_ago=30)
    backup(hours_ago=1)
    backup(
        hours_ago=0.5,
        verification=Backup.Verification.FAILED,
        verify_error="table sales_order has 10 rows after the restore, the manifest says 11",
    )
    page = home(client_of, administrator)
    assert "failed its verification: table sales_order has 10 rows" in page


def test_without_a_schedule_only_failures_warn(client_of, administrator, settings):
    settings.BACKUP_HOURS = 0
    installed(days_ago=30)
    assert WARNING not in home(client_of, administrator)
