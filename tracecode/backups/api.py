"""Backups over HTTP, for administrators: list, take one now, its progress, verify, download.

Everyone else gets 404, as on the page: the archives hold every customer's data.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from tracecode.core.api import PageIn, answers

from . import services, tasks, views
from .models import Backup

router = Router(tags=["backups"])


class BackupOut(Schema):
    id: int
    name: str
    location: str
    portable: bool
    scheduled: bool
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    status: str
    error: str
    stage: str
    done: int
    total: int
    size: int
    rows: int
    files: int
    verification: str
    verified_at: datetime.datetime | None
    verify_error: str
    warnings: list[str]
    download: str

    @staticmethod
    def resolve_download(obj) -> str:
        return f"/api/backups/{obj.pk}/download"


def administrator(request) -> None:
    if not request.user.is_administrator:
        raise Http404


@router.get("/", response=answers(list[BackupOut], 404, 422), summary="The backups, newest first")
def list_backups(request, page: Query[PageIn]):
    administrator(request)
    return list(Backup.objects.all()[page.offset : page.offset + page.limit])


@router.post(
    "/", response=answers({202: BackupOut}, 404), summary="Take a backup now, then verify it"
)
def start(request):
    administrator(request)
    running = Backup.objects.filter(status__in=["waiting", "running"]).first()
    if running:
        return Status(202, running)
    backup = services.start(user=request.user)
    tasks.run_backup.enqueue(backup.pk)
    backup.refresh_from_db()
    return Status(202, backup)


@router.get(
    "/{backup_id}", response=answers(BackupOut, 404, 422), summary="A backup and its progress"
)
def detail(request, backup_id: int):
    administrator(request)
    return get_object_or_404(Backup, pk=backup_id)


@router.post(
    "/{backup_id}/verify", response=answers({202: BackupOut}, 404, 422), summary="Verify it again"
)
def verify(request, backup_id: int):
    administrator(request)
    backup = get_object_or_404(Backup, pk=backup_id, status=Backup.Status.DONE)
    if not backup.busy:
        Backup.objects.filter(pk=backup.pk).update(verification=Backup.Verification.WAITING)
        tasks.verify_backup.enqueue(backup.pk)
    backup.refresh_from_db()
    return Status(202, backup)


@router.get(
    "/{backup_id}/download",
    summary="The archive (a .tar file)",
    response=answers({200: None}, 404, 422),
    openapi_extra={"responses": {200: {"content": {"application/x-tar": {}}}}},
)
def download(request, backup_id: int):
    administrator(request)
    return views.archive_response(
        get_object_or_404(Backup, pk=backup_id, status=Backup.Status.DONE)
    )
