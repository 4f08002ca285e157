"""Optimistic locking: when two people save the same record, the second save is refused.

A model inherits `Versioned`; its edit form carries the version the user started from
(`VersionField`); the view or API saves through `save_versioned()`, which raises `StaleEdit`
when someone else saved in between. Pages show what changed (`StaleEdit.changes`) and keep
what the user typed (core/refusals.py); the API answers 409 with the same changes.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


@dataclass
class Change:
    field: str
    label: str
    theirs: object  # the value saved by the other person, now in the database
    yours: object  # the value this user tried to save
    by: str = ""  # who saved theirs, when the record's history knows
    at: datetime.datetime | None = None

    @property
    def theirs_text(self) -> str:
        return shown(self.theirs)

    @property
    def yours_text(self) -> str:
        return shown(self.yours)


def shown(value) -> str:
    """A field's value as a person reads it in a message."""
    if value is None or value == "":
        return "—"
    if isinstance(value, set | frozenset | list | tuple):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return str(value)


class StaleEdit(Exception):
    """Someone saved the record after this user opened it."""

    def __init__(self, current, changes: list[Change]):
        super().__init__("this record was changed by someone else since you opened it")
        self.current = current
        self.changes = changes


def changes_between(current, edited, fields) -> list[Change]:
    """The fields whose saved value differs from what the user is saving."""
    found = []
    for name in fields:
        theirs, yours = getattr(current, name), getattr(edited, name)
        if hasattr(theirs, "all") and hasattr(yours, "all"):  # many-to-many: compare the sets
            theirs, yours = set(theirs.all()), set(yours.all())
        if theirs != yours:
            label = str(current._meta.get_field(name).verbose_name)
            found.append(Change(name, label, theirs, yours))
    return found


def save_versioned(instance, expected_version: int, fields=None) -> None:
    """Save `instance` if its stored version is still `expected_version`, else raise StaleEdit.

    The conditional UPDATE of the version is the lock: on PostgreSQL a concurrent save waits
    for it and then finds the version moved; on SQLite the write transaction serialises them.
    """
    model = type(instance)
    with transaction.atomic():
        moved = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not moved:
            current = model._base_manager.get(pk=instance.pk)
            names = fields or [f.name for f in model._meta.concrete_fields if f.editable]
            raise StaleEdit(current, changes_between(current, instance, names))
        instance.version = expected_version + 1
        update_fields = None
        if fields is not None:
            update_fields = [*fields, "version"]
        instance.save(update_fields=update_fields)


class VersionField(forms.IntegerField):
    """The hidden form field carrying the version the user started editing from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)
