"""What every kind of sheet shares: who may import and export it, how a row finds its record,
how a form is filled from the record and the row, what changed.

A kind saves a row through its app's own form and service (`save_row`), so an imported
record is checked, coded, recorded in its history and indexed for search exactly as one
typed on its page.
"""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from tracecode.codes import registry as codes_registry
from tracecode.codes import services as codes

from ..engine import Row, RowFailed, Saved
from ..sheets import Column, Lines, display


class Kind:
    """A kind of record as a sheet: subclasses name their model, columns, form and services."""

    name = ""  # the word in addresses and the command: "customers"
    label = ""  # "Customers"
    sheet_label = None  # the sheet's name in files (default: the label)
    position = 100
    model: type[models.Model]
    columns: list[Column] = []
    lines: Lines | None = None
    scheme = ""  # the coding scheme of its codes; "" when it has no code of its own
    customer_bound = True  # its records belong to a customer (a trade secret)
    importable = True
    filter_form: type[forms.Form] | None = None
    help = ""  # what the page says of it

    def __init__(self):
        if self.sheet_label is None:
            self.sheet_label = self.label

    # Who --------------------------------------------------------------------------------------

    def may_export(self, user) -> bool:
        return bool(user is not None and user.is_authenticated and user.is_active)

    def may_import(self, user) -> bool:
        return self.importable and self.may_export(user) and user.can_write

    def legacy_allowed(self, user) -> bool:
        """Whether `user` may bring codes not yet given. A sales user may not register a code
        that could be another's (hidden) customer's: saying "already given" would tell it
        exists. Codes under a parent they may change are theirs alone."""
        if user.sees_everything or not self.customer_bound:
            return True
        return bool(self.scheme) and codes.scheme(self.scheme).needs_parent

    # Export -----------------------------------------------------------------------------------

    def visible(self, user):
        return self.model.objects.visible_to(user)

    def editable(self, user):
        return self.model.objects.editable_by(user)

    def filtered(self, user, data: dict):
        """The records of the list `user` sees, narrowed by a valid filter form's data."""
        return self.visible(user)

    def for_export(self, records):
        """What the export reads, joined or prefetched."""
        return records

    def preview(self, record) -> list:
        """A saved record as its row of an export, for the preview of an import."""
        from ..writing import labels_of

        columns = self.columns
        labels = labels_of(columns)
        return [display(c, c.value(record), labels.get(c.key)) for c in columns]

    # Import -----------------------------------------------------------------------------------

    def column_of_field(self, name: str) -> str:
        """The column a form field's error belongs to ("" when none)."""
        if name.startswith("lines."):
            return ""
        for column in self.columns:
            if column.form_field == name or column.key == name:
                return column.key
        return ""

    def save_row(self, row: Row, context) -> Saved:
        raise NotImplementedError

    def save_rows(self, rows: list[Row], context) -> list[Saved]:
        """Save a chunk's rows in order, in the engine's savepoint: a kind that can write a
        chunk's new records together does so here, saving exactly what save_row would save
        row after row; any error fails the chunk, which the engine then tries row by row."""
        return [self.save_row(row, context) for row in rows]

    def save_together(self, rows: list[Row], context, new, write) -> list[Saved]:
        """`save_rows` for a kind whose rows name their records by code: each new record is
        checked as its row comes (`new(row)`) and waits to be written with the others
        (`write`); a row naming a record goes through `_update`, one naming a code an earlier
        row of the chunk named through save_row (which finds what that row made of it).

        `new(row)` returns what `write` takes, or, for a row that must be saved on its own,
        a function that saves it (`Chunk.Alone`)."""
        user = context.user
        records = self.find_many(rows, user)
        chunk = Chunk(len(rows), write)
        named = set()
        for position, row in enumerate(rows):
            code = codes_registry.normalise(row.get("code")).upper()
            if code in named:
                chunk.alone(position, lambda row=row: self.save_row(row, context))
                continue
            if code:
                named.add(code)
            record = self.found(row, user, records.get(row.get("code"))) if code else None
            if record is not None:
                chunk.alone(position, lambda r=row, rec=record: self._update(r, rec, context))
                continue
            checked = new(row)
            if isinstance(checked, Chunk.Alone):
                chunk.alone(position, checked.save)
            else:
                chunk.wait(position, checked)
        return chunk.done()

    def find(self, row: Row, user, queryset=None):
        """The record the row's code names among those `user` may change; None for a code not
        yet given (a legacy code, when the user may bring one). Anything else fails the row
        exactly as a code nobody has would."""
        code = row.get("code")
        if not code:
            return None
        rows = queryset if queryset is not None else self.editable(user)
        return self.found(row, user, named_in(rows, [code])[code])

    def found(self, row: Row, user, record):
        """`find`'s answer once the record the code names was looked up (None: nobody's)."""
        if record is not None or self.legacy_allowed(user):
            return record
        row.fail("code", self.not_yours(row.get("code")))

    def find_many(self, rows: list[Row], user) -> dict[str, Any]:
        """Each code of the rows → the record `find` finds for it (None: nobody's), in one
        query."""
        return named_in(self.editable(user), [row.get("code") for row in rows if row.get("code")])

    def not_yours(self, code: str) -> str:
        return _("No record %(code)s among those you may change.") % {"code": code}

    # Undo -------------------------------------------------------------------------------------

    def take_back(self, record, user, reason: str) -> None:
        """Delete a record the import made (its undo); a kind whose records settle something
        elsewhere takes that back too, through its service."""
        record.delete()

    def restore(self, record, change: dict, user) -> None:
        """Put back the values an import changed (`change["before"]`), through the service
        that changes such a record, so the history says so."""
        fields = put_back(record, change.get("before") or {})
        self.save_restored(record, fields, change, user)

    def save_restored(self, record, fields: list[str], change: dict, user) -> None:
        raise NotImplementedError


# Forms ------------------------------------------------------------------------------------------


class Chunk:
    """A chunk's results in the order of its rows: new records wait (`wait`) to be written
    together by `write` (a list of what waits → the Saved of each, in order); a row saved on
    its own (`alone`) is saved once those before it are written."""

    @dataclass(frozen=True)
    class Alone:
        save: Callable[[], Saved]

    def __init__(self, size: int, write: Callable[[list], list[Saved]]):
        self.results: list[Saved | None] = [None] * size
        self.waiting: list[tuple[int, Any]] = []
        self.write = write

    def wait(self, position: int, item) -> None:
        self.waiting.append((position, item))

    def alone(self, position: int, save: Callable[[], Saved]) -> None:
        self.flush()
        self.results[position] = save()

    def flush(self) -> None:
        if self.waiting:
            positions, items = zip(*self.waiting, strict=True)
            for position, saved in zip(positions, self.write(list(items)), strict=True):
                self.results[position] = saved
            self.waiting.clear()

    def done(self) -> list[Saved]:
        self.flush()
        return self.results


def form_values(form) -> dict:
    """What an unbound form shows, as data the same form takes back: the record's values, or
    a new record's defaults. A choice of records by code gets the code, not the id."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field, forms.ModelMultipleChoiceField) and field.to_field_name:
            value = [_by_field(field, v) for v in value or []]
        elif isinstance(field, forms.ModelChoiceField) and field.to_field_name:
            value = _by_field(field, value) if value not in (None, "") else ""
        elif value is None:
            value = ""
        data[name] = value
    return data


def _by_field(field, value):
    if isinstance(value, models.Model):
        return getattr(value, field.to_field_name)
    if isinstance(value, int):
        model = field.queryset.model
        found = model._base_manager.filter(pk=value).values_list(field.to_field_name, flat=True)
        return found.first() or ""
    return value


def by_code(model, row: Row, key: str, context, message, missing=None):
    """The record of `model` a column names by code, among those the importer may change,
    found once per import; `message` (with `%(code)s`) when there is none, `missing` when
    the cell is empty."""
    code = row.get(key)
    if not code:
        row.fail(key, missing or _("Give its code."))
    record = context.remembered(
        (model._meta.label_lower, code),
        lambda: named_in(model.objects.editable_by(context.user), [code])[code],
    )
    if record is None:
        row.fail(key, message % {"code": code})
    return record


def named_in(records, codes) -> dict:
    """Each of `codes` → the record of `records` (a queryset) it names, in any letter case
    (the first by code), or None; in one query."""
    wanted = {s for code in codes for s in codes_registry.spellings(code)}
    found = {r.code: r for r in records.filter(code__in=wanted)} if wanted else {}
    named = {}
    for code in codes:
        matching = [found[s] for s in codes_registry.spellings(code) if s in found]
        named[code] = min(matching, key=lambda record: record.code, default=None)
    return named


def remember_named(model, codes, context) -> None:
    """by_code's records for the codes of a chunk's rows, those the import does not know yet
    found in one query."""
    label = model._meta.label_lower
    unknown = list({c for c in codes if c and (label, c) not in context.records})
    named = named_in(model.objects.editable_by(context.user), unknown)
    for code, record in named.items():
        context.remembered((label, code), lambda record=record: record)


def new_values(form_class, context=None, **kwargs) -> dict:
    """What a new record's unbound form shows (`form_values`), found once per import for the
    same form and arguments: the defaults do not change from one row to the next."""
    return dict(_new_form(form_class, context, **kwargs)[0])


def _new_form(form_class, context, **kwargs) -> tuple[dict, frozenset]:
    def unbound():
        form = form_class(**kwargs)
        return form_values(form), frozenset(form.fields)

    if context is None:
        return unbound()
    return context.remembered(("new form", form_class, *_arguments(kwargs)), unbound)


def _arguments(kwargs: dict) -> tuple:
    """A form's arguments as a key of what is kept per import: records by label and id."""
    return tuple(
        sorted(
            (name, (v._meta.label_lower, v.pk) if isinstance(v, models.Model) else v)
            for name, v in kwargs.items()
        )
    )


def fill(form_class, row: Row, columns, *, instance=None, context=None, **kwargs):
    """The form bound to the record's (or a new record's) values with the row's on top."""
    if instance is not None:
        unbound = form_class(instance=instance, **kwargs)
        data, names = form_values(unbound), frozenset(unbound.fields)
    else:
        values, names = _new_form(form_class, context, **kwargs)
        data = dict(values)
    for column in columns:
        name = column.form_field
        if name and row.given(column.key) and name in names:
            value = row.values[column.key]
            if instance is None and value in ("", None) and data.get(name) not in ("", None):
                continue  # a new record's empty cell takes the page's default (today, USD …)
            data[name] = value
    if instance is not None:
        return form_class(data, instance=instance, **kwargs)
    if context is None:
        return form_class(data, **kwargs)
    return bound_again(form_class, data, context, **kwargs)


def bound_again(form_class, data: dict, context, **kwargs):
    """A new record's form bound to `data`: one form of this class and arguments is built per
    import and bound again to each row.

    Building a form costs more than checking a row with it (a customer's form: 4 ms to build,
    most of it copying its fields and their choices; well under 1 ms to check): each row gets
    a shallow copy of the built form, with the row's data, a fresh copy of the new record and
    no errors yet, so it is checked by the same fields and clean methods as a form built for
    it alone (test_bound_again proves the two agree). Records chosen by code (the owner, an
    industry from its list) are looked up once per import.
    """
    key = _arguments(kwargs)

    def build():
        built = form_class(data, **kwargs)
        remember_choices(built)
        return built, copy.copy(built.instance)

    return rebound(*built_form(context, form_class, key, build), data)


# Forms kept built per import and form class, for different arguments (a customer's contacts
# and lines: rows of one customer come together): the latest ones, so that memory stays flat.
FORMS_KEPT = 16


def built_form(context, form_class, key, build):
    """The form `build()` makes for `key`, made once per import while it is among the latest
    FORMS_KEPT; forgotten with what the import remembers when a row fails."""
    built = context.remembered(("built forms", form_class), dict)
    if key not in built:
        if len(built) >= FORMS_KEPT:
            del built[next(iter(built))]
        built[key] = build()
    return built[key]


def rebound(built, record, data: dict, prefix: str | None = None):
    """A shallow copy of the form `built` (never checked itself) bound to `data`, with a fresh
    copy of its new record `record`, no errors yet, and `prefix` (a formset's line)."""
    form = copy.copy(built)
    form.data = data
    form._errors = None
    form._bound_fields_cache = {}
    form.instance = copy.copy(record)
    if prefix is not None:
        form.prefix = prefix
    return form


def remember_choices(form) -> None:
    """Each record-choice field of `form` looks a value up once (what it finds, not what it
    refuses: a wrong code is refused again, with the same message, on every row)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            field.to_python = _remembering(field.to_python)


def _remembering(to_python):
    found = {}

    def remembered(value):
        if not isinstance(value, str | int) or isinstance(value, bool):
            return to_python(value)
        if value not in found:
            found[value] = to_python(value)
        return found[value]

    return remembered


def failed_form(form, row: Row, kind, prefix: str = "") -> RowFailed:
    """A form's errors as the row's problems, each on its column."""
    problems = []
    for name, errors in form.errors.items():
        key = "" if name == "__all__" else kind.column_of_field(prefix + name)
        problems.extend(row.problem(key, message) for message in errors)
    return RowFailed(problems or [row.problem("", _("Invalid input."))])


def valid(form, row: Row, kind):
    if not form.is_valid():
        raise failed_form(form, row, kind)
    return form


# What changed ---------------------------------------------------------------------------------


def raw(instance, name: str):
    """A field's value as compared before and after: related records by id, dates and
    numbers as they are, several values as a sorted tuple."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        if instance.pk is None:
            return ()
        return tuple(sorted(getattr(instance, name).values_list("pk", flat=True)))
    if field.is_relation:
        return getattr(instance, field.attname)
    value = getattr(instance, name)
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, list):
        return tuple(value)
    return value


def jsonable(value):
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def snapshot(instance, names) -> dict:
    return {name: raw(instance, name) for name in names}


def model_fields(model, names) -> list[str]:
    """Those of `names` that are fields of `model`."""
    own = {
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    }  # not reverse relations
    return [n for n in names if n in own]


def given_fields(row: Row, columns, form) -> list[str]:
    """The form fields the row gives a value for."""
    return [
        c.form_field
        for c in columns
        if c.form_field and row.given(c.key) and c.form_field in form.fields
    ]


def put_back(record, before: dict) -> list[str]:
    """Set the fields of `before` (as `jsonable` kept them) on the record; their names."""
    fields = []
    for name, value in before.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            continue
        if value is not None and not field.is_relation:
            value = field.to_python(value)
        setattr(record, field.attname, value)
        fields.append(name)
    return fields
