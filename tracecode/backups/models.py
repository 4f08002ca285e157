"""The archives taken, where they are kept, and whether a restore of each has been proven."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAGES = {
    "database": _("database"),
    "files": _("files"),
    "migrating": _("migrating"),
    "swapping": _("swapping in"),
    "search index": _("search index"),
}


class Backup(models.Model):
    """One archive: taken (with its progress while it runs), then verified by a restore."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Verification(models.TextChoices):
        NONE = "none", _("not verified")
        WAITING = "waiting", _("waiting to be verified")
        RUNNING = "running", _("verifying")
        OK = "ok", _("verified")
        FAILED = "failed", _("verification failed")

    name = models.CharField(_("archive"), max_length=200)
    location = models.CharField(_("kept in"), max_length=500)
    portable = models.BooleanField(_("portable"), default=False)
    scheduled = models.BooleanField(_("scheduled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    error = models.TextField(_("error"), blank=True)
    # Progress while it runs, also of its verification: "files", 120 of 2,000.
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)
    verification = models.CharField(
        _("verified"), max_length=10, choices=Verification.choices, default=Verification.NONE
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verify_error = models.TextField(_("verification error"), blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="one_record_per_archive")
        ]

    def __str__(self) -> str:
        return self.name or f"backup {self.pk}"

    @property
    def archive(self) -> str:
        """The archive as `tracecode restore` takes it."""
        return f"{self.location.rstrip('/')}/{self.name}"

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING) or self.verification in (
            self.Verification.WAITING,
            self.Verification.RUNNING,
        )

    @property
    def stage_label(self) -> str:
        """The stage as people read it: "Verifying: files"."""
        verifying = self.stage.startswith("verify ")
        stage = self.stage.removeprefix("verify ")
        label = str(STAGES.get(stage, stage))
        return _("Verifying: %(stage)s") % {"stage": label} if verifying else label.capitalize()

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
