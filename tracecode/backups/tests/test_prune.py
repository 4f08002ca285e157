"""Keeping archives: the newest of each recent day and week, and always the last verified."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tracecode.backups import services
from tracecode.backups.locations import Location
from tracecode.backups.models import Backup

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)


def archive(location: Path, hours_ago: float, verified: bool = True) -> str:
    started = NOW - datetime.timedelta(hours=hours_ago)
    name = timezone.localtime(started).strftime("tracecode-%Y%m%d-%H%M%S.tar")
    location.mkdir(parents=True, exist_ok=True)
    (location / name).write_bytes(b"archive")
    Backup.objects.create(
        name=name, location=str(location), started_at=started, status=Backup.Status.DONE,
        verification=Backup.Verification.OK if verified else Backup.Verification.NONE,
    )  # fmt: skip
    return name


def test_the_newest_of_each_day_and_week_are_kept(settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY = 3, 2
    folder = Path(settings.BACKUP_TO)
    # Every 12 hours for four weeks, newest first.
    names = [archive(folder, 12 * n) for n in range(56)]
    removed = services.prune(Location.parse(), now=NOW)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted(set(names) - set(removed))
    days = {name[10:18] for name in kept}
    assert len(days) == 4  # three days, and the newest of last week
    assert names[0] in kept  # today's newest
    assert Backup.objects.count() == len(kept)


def test_the_last_verified_archive_is_kept_whatever_its_age(settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY = 1, 1
    folder = Path(settings.BACKUP_TO)
    proven = archive(folder, 24 * 20)
    unproven = [archive(folder, hours, verified=False) for hours in (1, 2, 30)]
    services.prune(Location.parse(), now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == sorted([proven, unproven[0]])


def test_archives_elsewhere_are_left_alone(settings, tmp_path):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY = 1, 1
    elsewhere = tmp_path / "usb-stick"
    names = [archive(elsewhere, 24 * n) for n in range(5)]
    services.prune(Location.parse(), now=NOW)
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(names)
