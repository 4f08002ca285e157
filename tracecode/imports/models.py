"""Imports as they are kept: the file, who, when, what it did, and how to undo it; the
headers a user mapped once; and `Job`, the progress of any work done in the background
(imports now, large exports later) that a page polls."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Work the task worker does in the background, and how far it got: rows done of the
    total, rows per second, time left. While the work runs inside one transaction, its
    progress is published beside it (progress.py) and read back with `live()`."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    language = models.CharField(max_length=10, default="en")  # messages in the user's
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.done / self.total))

    def elapsed(self) -> float:
        if self.started_at is None:
            return 0.0
        end = self.finished_at or timezone.now()
        return max((end - self.started_at).total_seconds(), 0.001)

    @property
    def rate(self) -> float:
        """Rows per second so far."""
        return self.done / self.elapsed() if self.started_at and self.done else 0.0

    @property
    def time_left(self) -> datetime.timedelta | None:
        if not self.rate or self.status != self.Status.RUNNING or self.done >= self.total:
            return None
        return datetime.timedelta(seconds=round((self.total - self.done) / self.rate))

    def live(self):
        """This job with the progress published while its transaction is still open."""
        from . import progress

        return progress.merged(self)


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own imports; administrators see every import."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(user=user)


def import_path(instance, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{filename}"


class ImportRun(Job):
    """One import: a file of one kind, previewed (a dry run), then imported or not, and
    perhaps undone. What it changed is kept to undo it."""

    class Stage(models.TextChoices):
        MAPPING = "mapping", _("columns to map")
        PREVIEW = "preview", _("preview")
        IMPORT = "import", _("import")
        UNDONE = "undone", _("undone")

    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=import_path, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    keep_good = models.BooleanField(_("keep the good rows"), default=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices,
                             default=Stage.PREVIEW)  # fmt: skip
    committed = models.BooleanField(_("imported"), default=False)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("failing"), default=0)
    unknown_headers = models.JSONField(default=dict, blank=True)  # sheet → headers to map
    problems = models.JSONField(default=list, blank=True)  # [{sheet, row, column, message}]
    failing_rows = models.JSONField(default=dict, blank=True)  # sheet → [row numbers]
    preview = models.JSONField(default=list, blank=True)  # the first rows as saved
    changes = models.JSONField(default=list, blank=True)  # what undo needs, per record
    seconds = models.FloatField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.source

    @property
    def source(self) -> str:
        """How an imported record's history names this import."""
        return _("%(file)s (import %(number)s)") % {"file": self.file_name, "number": self.pk}

    @property
    def counts(self) -> dict:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "failed": self.failed}  # fmt: skip

    @property
    def importable(self) -> bool:
        """Previewed, and either clean or with good rows to keep."""
        return (
            self.stage == self.Stage.PREVIEW
            and self.status == self.Status.DONE
            and (self.new or self.updated or self.unchanged)
        )

    @property
    def undoable(self) -> bool:
        return (
            self.stage == self.Stage.IMPORT
            and self.status == self.Status.DONE
            and self.committed
            and bool(self.changes)
        )


class HeaderMapping(models.Model):
    """A header a user told once which column it is (or to leave out), for one kind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    header_key = models.CharField(max_length=200)  # cells.key of the header
    header = models.CharField(max_length=200)  # as it was written
    column = models.CharField(max_length=60, blank=True)  # "": leave it out

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "header_key"], name="one_mapping_per_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.header} → {self.column or '—'}"


class ExportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own exports only: an export holds what its author could see, nobody else's."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


def export_path(instance, filename: str) -> str:
    return f"exports/{timezone.now():%Y/%m}/{filename}"


class ExportRun(Job):
    """A list written to a file in the background (too long to write inside a request):
    the kind, the list's filter as its page had it, and the file once written."""

    kind = models.CharField(_("kind"), max_length=30)
    fmt = models.CharField(_("format"), max_length=10, default="xlsx")
    query = models.TextField(blank=True)  # the list page's filter, as its query string
    file = models.FileField(_("file"), upload_to=export_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # When its file was deleted, settings.EXPORT_KEEP_DAYS after it was written.
    expired_at = models.DateTimeField(_("file deleted"), null=True, blank=True)

    objects = ExportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and not self.expired

    @property
    def expired(self) -> bool:
        return self.expired_at is not None
