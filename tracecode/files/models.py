"""Files filed by hand under a customer, project or order, and the names of their folders."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet

from . import layout


class Folder(models.Model):
    """The folder a code got when its first file was filed; its name and place never change."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("folder"), max_length=100)
    path = models.CharField(_("path"), max_length=400)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")

    def __str__(self) -> str:
        return self.name


class StoredFile(models.Model):
    """An uploaded file: filed under its record's folder, named by the framework, versioned.

    The versions of one file are the uploads to the same record and document type under the
    same original name (compared without case): `RK1038-1 Drawing 2026-11-22.pdf`, then
    `… 2026-11-23 v2.pdf`. Every version is kept.
    """

    customer_path = "customer"
    # Set by services.store() when an upload's content was already filed under the record.
    already_filed = False

    customer = models.ForeignKey(
        "customers.Customer",
        models.PROTECT,
        related_name="stored_files",
        verbose_name=_("customer"),
    )
    code = models.CharField(_("filed under"), max_length=40, db_index=True)
    document_type = models.CharField(
        _("document type"), max_length=30, choices=layout.UPLOAD_TYPES + layout.GENERATED_TYPES
    )
    original_name = models.CharField(_("original name"), max_length=255)
    series = models.CharField(max_length=255, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), max_length=500)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, editable=False)
    content_type = models.CharField(_("content"), max_length=100)
    inline = models.BooleanField(default=False, editable=False)  # safe to show in the browser
    text = models.TextField(blank=True, editable=False)  # extracted on upload, for search
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["code", "document_type", "series", "-version"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "document_type", "series", "version"], name="one_file_version"
            ),
            models.UniqueConstraint(fields=["file"], name="one_record_per_stored_file"),
        ]

    def __str__(self) -> str:
        return self.stored_name

    def get_absolute_url(self) -> str:
        return reverse("files:download", args=[self.pk])

    @property
    def stored_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def type_label(self) -> str:
        return layout.type_label(self.document_type)
