"""Uploaded mail files, kept and imported in the background by a task worker."""

import contextlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .. import parsing
from .importing import ImportReport, import_files


def upload_folder() -> Path:
    return Path(settings.DATA_DIR) / "mail-uploads"


def start_batch(files, user):
    """Keep uploaded files, then import them in the background; returns the ImportBatch."""
    import uuid

    from ..models import ImportBatch
    from ..tasks import import_batch

    folder = upload_folder() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for number, upload in enumerate(files):
        path = folder / f"{number:04d}-{parsing.safe_filename(upload.name, 'upload')}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        kept.append({"name": parsing.safe_filename(upload.name, "upload"), "path": str(path)})
    batch = ImportBatch.objects.create(user=user, files=kept)
    transaction.on_commit(lambda: import_batch.enqueue(batch.pk))
    return batch


def run_batch(batch_id: int) -> dict:
    from ..models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])

    def progress(done: int, report: ImportReport) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(
            files_done=done,
            imported=report.imported,
            skipped=report.skipped,
            failures=report.failures,
        )

    paths = [f["path"] for f in batch.files]
    try:
        report = import_files(
            paths, owner=batch.user, user=batch.user, names=[f["name"] for f in batch.files],
            progress=progress,
        )  # fmt: skip
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.FAILED)
        raise
    finally:
        for path in paths:
            Path(path).unlink(missing_ok=True)
        if paths:
            with contextlib.suppress(OSError):
                Path(paths[0]).parent.rmdir()
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.DONE)
    return {"imported": report.imported, "skipped": report.skipped, "failed": report.failed}
