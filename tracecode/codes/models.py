from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SchemeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        kwargs.setdefault("version", F("version") + 1)
        return super().update(**kwargs)


class Scheme(models.Model):
    """A numbering rule, stored as the dict of the scheme language (see codes/core).

    Every change moves `version` on (save and update alike), so each app server notices a
    change made through another one (codes/services.py), whatever their clocks say.
    """

    name = models.SlugField(_("name"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    definition = models.JSONField(_("definition"))
    source = models.TextField(_("scheme file text"), blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.BigIntegerField(_("version"), default=1, editable=False)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("coding scheme")
        verbose_name_plural = _("coding schemes")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        self.version = F("version") + 1
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["version"])


class Counter(models.Model):
    """The last serial given in one scope of one scheme; advanced in the saving transaction."""

    scheme = models.CharField(_("scheme"), max_length=50)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    last = models.BigIntegerField(_("last serial"))

    class Meta:
        ordering = ["scheme", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "scope"], name="one_counter_per_scope")
        ]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.scheme} [{self.scope or '—'}] = {self.last}"


class CounterChange(models.Model):
    """An administrator moved a counter forward: who, when, from what to what, and why."""

    scheme = models.CharField(max_length=50)
    scope = models.CharField(max_length=200, blank=True)
    old_last = models.BigIntegerField(null=True)
    new_last = models.BigIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.scheme} [{self.scope}] {self.old_last} → {self.new_last}"


class CodeEntryQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("codes are never deleted; cancel them instead")

    def update(self, **kwargs):
        if set(kwargs) - CodeEntry.MUTABLE:
            raise PermissionError("a code entry's code and parts never change")
        return super().update(**kwargs)


class CodeEntry(models.Model):
    """The registry: every code ever given, unique across the whole system, never reused.

    The database enforces it too: triggers refuse an UPDATE of the code or its parts and any
    DELETE (see migration 0002).
    """

    MUTABLE = {"status", "cancelled_at", "cancelled_by", "cancel_reason", "record_type"}

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CANCELLED = "cancelled", _("cancelled")

    class Origin(models.TextChoices):
        ALLOCATED = "allocated", _("allocated")
        IMPORTED = "imported", _("imported (legacy)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    scheme = models.CharField(_("scheme"), max_length=50)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    serial = models.BigIntegerField(_("serial"), null=True)
    parent_code = models.CharField(_("parent code"), max_length=40, blank=True, db_index=True)
    parts = models.JSONField(_("parts"), default=dict)
    record_type = models.CharField(_("record type"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ALLOCATED
    )
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    # Every index costs each allocation a write; nobody looks codes up by who gave them.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    objects = CodeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scheme", "scope", "serial"])]
        verbose_name = _("code")
        verbose_name_plural = _("code registry")

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (
            update_fields is None or not set(update_fields) <= self.MUTABLE
        ):
            raise PermissionError("a code entry's code and parts never change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("codes are never deleted; cancel them instead")

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class CodedModel(models.Model):
    """A record whose `code` is given once, at creation, and never changes afterwards."""

    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded_code", None)
        if loaded is not None and self.code != loaded:
            raise PermissionError(f"the code {loaded} never changes")
        super().save(*args, **kwargs)
        self._loaded_code = self.code

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._loaded_code = instance.__dict__.get("code")
        return instance
