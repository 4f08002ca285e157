"""What the watched folder received, and where each file went."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboxFile(models.Model):
    """One file taken from the watched folder: filed, already there, or failed (and why)."""

    class Outcome(models.TextChoices):
        FILED = "filed", _("filed")
        DUPLICATE = "duplicate", _("already filed")
        FAILED = "failed", _("failed")

    class Problem(models.TextChoices):
        NO_CODE = "no_code", _("no code in the name")
        UNKNOWN_CODE = "unknown_code", _("unknown code")
        TWO_CODES = "two_codes", _("more than one code")
        REFUSED = "refused", _("refused file")
        NOT_ALLOWED = "not_allowed", _("may not file there")
        ERROR = "error", _("error")

    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    problem = models.CharField(_("problem"), max_length=12, choices=Problem.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    code = models.CharField(_("filed under"), max_length=40, blank=True, db_index=True)
    document_type = models.CharField(_("document type"), max_length=30, blank=True)
    stored_file = models.ForeignKey(
        "files.StoredFile",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stored file"),
    )
    moved_to = models.CharField(_("moved to"), max_length=500, blank=True)
    filed_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed as"),
    )
    handled_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-handled_at", "-pk"]
        verbose_name = _("inbox file")
        verbose_name_plural = _("inbox files")

    def __str__(self) -> str:
        return f"{self.name} ({self.outcome})"
