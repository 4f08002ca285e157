"""Workflows as data (Tryton style): a record's states, the moves between them, one mover.

A model that moves through states declares one `Workflow`: the field that holds its state,
the model of its history (an `Event` subclass) and the table of its `Transition`s. The
workflow's `perform()` is the only way the state changes: it locks the record, refuses a
move the table does not allow (or whose guards are not met) with `IllegalTransition`, saves
the new state with what the move records, runs the move's effects and writes who and when
into the record's history. Every interface shows `IllegalTransition` the same way: a message
on a page, 409 `illegal_transition` in the API.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .concurrency import Versioned


class IllegalTransition(Exception):
    """A move the workflow does not allow now; the message says why."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.message = str(message)
        self.problems = [str(p) for p in problems]


Guard = Callable[[models.Model], list[str]]
# An effect runs after the move, in its transaction: (record, user) → details for the history.
Effect = Callable[[models.Model, object], dict | None]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: str
    fields: tuple[str, ...] = ()  # what the move records on the record; all required
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    automatic: bool = False  # made by the services when something happens, never asked for


class Event(models.Model):
    """One line of a record's history: a move of its workflow, or something done to it."""

    action = models.CharField(gettext_lazy("action"), max_length=30)
    from_state = models.CharField(gettext_lazy("from"), max_length=20)
    to_state = models.CharField(gettext_lazy("to"), max_length=20)
    data = models.JSONField(gettext_lazy("details"), default=dict, blank=True)
    note = models.TextField(gettext_lazy("note"), blank=True)
    at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=gettext_lazy("who"),
    )

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def is_transition(self) -> bool:
        return self.from_state != self.to_state or self.action in workflow_of(self).transitions

    @property
    def text(self) -> str:
        """What happened, in the reader's language."""
        return workflow_of(self).describe(self)

    @property
    def state_text(self) -> str:
        """The state the record was left in, in the reader's language."""
        return workflow_of(self).state_label(self.to_state)


def _who(user):
    return user if user is not None and user.pk else None


class Workflow:
    """The states of one model and the moves between them."""

    def __init__(
        self,
        model: type[models.Model],
        transitions: Iterable[Transition],
        *,
        events: type[Event],
        subject: str,
        field: str = "state",
        texts: dict | None = None,
        details: Callable[[Event], dict] | None = None,
        related: tuple[str, ...] = (),
        checks: Callable[[models.Model, str], None] | None = None,
    ):
        self.model = model
        self.transitions = {t.action: t for t in transitions}
        self.events = events
        self.subject = subject  # the event's foreign key to the record
        self.field = field
        self.texts = texts or {}  # what the history says of things done that are not moves
        self.details = details  # an event's details as its text shows them (labels for names)
        self.related = related  # read with the locked record (its messages name them)
        # Conditions of apps above the model's own (care's credit control on confirming):
        # `checks(record, action)` runs after the table's guards, in the move's transaction,
        # and refuses by raising IllegalTransition.
        self.checks = checks
        _workflows[events] = self

    # The table ---------------------------------------------------------------------------

    def get(self, action: str) -> Transition:
        """The transition called `action`, or IllegalTransition for an unknown one."""
        if action not in self.transitions:
            raise IllegalTransition(_("There is no move called “%(action)s”.") % {"action": action})
        return self.transitions[action]

    def state_of(self, record) -> str:
        return getattr(record, self.field)

    def state_label(self, state: str) -> str:
        choices = dict(self.model._meta.get_field(self.field).flatchoices)
        return str(choices.get(state, state))

    def available(self, record, *, automatic: bool = False) -> list[Transition]:
        """The moves the table allows from the record's state (their guards not yet checked);
        the automatic ones only when asked for."""
        state = self.state_of(record)
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and (automatic or not t.automatic)
        ]

    def missing(self, record, transition: Transition) -> list[str]:
        """What the move's guards still miss."""
        return [str(problem) for guard in transition.guards for problem in guard(record)]

    def check_source(self, record, transition: Transition) -> None:
        """Refuse a move the table does not allow from the record's state."""
        if self.state_of(record) in transition.sources:
            return
        sources = " / ".join(self.state_label(s) for s in transition.sources)
        raise IllegalTransition(
            _("%(code)s is %(state)s: “%(action)s” is only possible when it is %(sources)s.")
            % {
                "code": code_of(record),
                "state": self.state_label(self.state_of(record)),
                "action": transition.label,
                "sources": sources,
            }
        )

    def check_guards(self, record, transition: Transition) -> None:
        """Refuse a move whose conditions are not met, naming every missing one."""
        problems = self.missing(record, transition)
        if problems:
            raise IllegalTransition(
                _("%(code)s: “%(action)s” is not possible yet: %(problems)s.")
                % {
                    "code": code_of(record),
                    "action": transition.label,
                    "problems": "; ".join(problems),
                },
                problems,
            )

    def check_values(self, transition: Transition, values: dict) -> None:
        """Refuse a move without all it records (the reason a project was lost …)."""
        missing = [name for name in transition.fields if values.get(name) in (None, "")]
        if missing:
            message = _("“%(action)s” records this; give it.") % {"action": transition.label}
            raise ValidationError({name: [message] for name in missing})

    def find(self, record, target: str, *, automatic: bool = False) -> Transition | None:
        """The move that takes the record from its state to `target`, if the table has one."""
        for transition in self.available(record, automatic=automatic):
            if transition.target == target:
                return transition
        return None

    # Moving ------------------------------------------------------------------------------

    def perform(
        self, record, action: str, *, user, values: dict | None = None, note: str = "", **data
    ):
        """Move the record by `action`, recording `values`, who and when; returns it saved.

        The record's row is locked and re-read first, so two people moving the same record
        one after the other see each other's move (the second is refused if no longer
        allowed). The record passed in is refreshed too.
        """
        transition = self.get(action)
        with transaction.atomic():
            rows = self.model._base_manager.select_for_update()
            if self.related:
                rows = rows.select_related(*self.related)
            current = rows.get(pk=record.pk)
            self.check_source(current, transition)
            self.check_values(transition, values or {})
            for name in transition.fields:
                value = (values or {}).get(name)
                setattr(current, name, value)
                data.setdefault(name, plain(value))  # the history keeps what the move recorded
            self.check_guards(current, transition)
            if self.checks is not None:
                self.checks(current, action)
            from_state = self.state_of(current)
            setattr(current, self.field, transition.target)
            update = [self.field, *transition.fields]
            if isinstance(current, Versioned):
                current.version += 1  # a form opened before the move is now stale
                update.append("version")
            current.save(update_fields=update)
            for effect in transition.effects:
                data.update(effect(current, user) or {})
            self.events.objects.create(
                **{self.subject: current},
                action=action,
                from_state=from_state,
                to_state=transition.target,
                data=data,
                note=note,
                by=_who(user),
            )
        if record is not current:
            record.refresh_from_db()
        return current

    def perform_many(self, records, action: str, *, user) -> list:
        """perform() for several records (an import's chunk) by a move that records nothing
        and has no guards, effects or checks (a project moved on by itself): each record once,
        locked and re-read in one query, moved in one UPDATE, its history in one INSERT, and
        post_save sent for it as save() sends it. A record the move is no longer allowed for
        is left as it is, where perform() would refuse it; the records passed in are
        refreshed either way. The records moved, in order."""
        transition = self.get(action)
        if transition.fields or transition.guards or transition.effects or self.checks:
            raise ValueError(f"“{action}” records, checks or does more: perform() it")
        pks = list(dict.fromkeys(record.pk for record in records))
        if not pks:
            return []
        with transaction.atomic():
            rows = self.model._base_manager.select_for_update()
            if self.related:
                rows = rows.select_related(*self.related)
            current = {row.pk: row for row in rows.filter(pk__in=pks)}
            if len(current) != len(pks):
                raise self.model.DoesNotExist(f"{len(pks) - len(current)} of them are gone")
            moved = [current[pk] for pk in pks if self.state_of(current[pk]) in transition.sources]
            from_states = [self.state_of(row) for row in moved]
            update = {self.field: transition.target}
            if issubclass(self.model, Versioned):
                update["version"] = F("version") + 1  # a form opened before the move is stale
            self.model._base_manager.filter(pk__in=[row.pk for row in moved]).update(**update)
            for row in moved:
                setattr(row, self.field, transition.target)
                if "version" in update:
                    row.version += 1
                post_save.send(sender=self.model, instance=row, created=False, raw=False,
                               update_fields=frozenset(update), using=row._state.db)  # fmt: skip
            self.events.objects.bulk_create(
                self.events(**{self.subject: row}, action=action, from_state=from_state,
                            to_state=transition.target, data={}, note="", by=_who(user))
                for row, from_state in zip(moved, from_states, strict=True)
            )  # fmt: skip
        for record in records:
            if record is not current[record.pk]:
                _refresh(record, current[record.pk])
        return moved

    def record(self, record, action: str, *, user, note: str = "", **data) -> Event:
        """Put something done on the record (a payment, a document …) into its history."""
        state = self.state_of(record)
        return self.events.objects.create(
            **{self.subject: record},
            action=action,
            from_state=state,
            to_state=state,
            data=data,
            note=note,
            by=_who(user),
        )

    def record_many(self, records, action: str, *, user, note: str = "", **data) -> list:
        """record() for several records at once (an import's chunk): one INSERT."""
        return self.events.objects.bulk_create(
            self.events(**{self.subject: record}, action=action, from_state=self.state_of(record),
                        to_state=self.state_of(record), data=dict(data), note=note,
                        by=_who(user))
            for record in records
        )  # fmt: skip

    def describe(self, event) -> str:
        """One line for a history entry, in the reader's language."""
        data = self.details(event) if self.details else dict(event.data or {})
        if isinstance(data.get("changes"), list):  # old → new, as `changes()` kept them
            data["changes"] = changes_text(data.get("of") or self.model, data["changes"])
        if event.action in self.transitions:
            if event.action in self.texts:  # a move whose history says more than its button
                return _fill(self.texts[event.action], data)
            return str(self.transitions[event.action].label)
        if event.action not in self.texts:
            return event.action
        return _fill(self.texts[event.action], data)

    def history(self, record):
        """The record's history, oldest first, with who did each thing."""
        return self.events.objects.filter(**{self.subject: record}).select_related("by")


def _refresh(record, current) -> None:
    """`record` holding what `current`, the same row read later, holds: refresh_from_db()
    without the query."""
    for field in record._meta.concrete_fields:
        setattr(record, field.attname, getattr(current, field.attname))


def plain(value):
    """A value as the history's JSON keeps it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _kept(value):
    """A changed value as the history keeps it: plain(), an amount without the database's
    trailing zeros (38.5000 and 38.50 are both 38.50; 1000.000 is 1000)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        value = value.normalize()
        return str(value if value.as_tuple().exponent <= -2 else value.quantize(Decimal("0.01")))
    return plain(value)


def changes(stored, edited, fields) -> list[list]:
    """The fields of `edited` whose values differ from `stored`'s: [name, old, new] as the
    history keeps them (every record's "changed" event: orders, quotations, payments …)."""
    return [
        [name, _kept(getattr(stored, name)), _kept(getattr(edited, name))]
        for name in fields
        if name != "version" and getattr(stored, name) != getattr(edited, name)
    ]


def line_changes(stored: list[dict], edited: list[dict], *, related: str = "lines") -> list[list]:
    """What changed in a record's lines, position by position: a changed field is
    [`lines.2.cartons`, old, new]; a line added or removed is [`lines.3`, None, its text] or
    [`lines.3`, its text, None]. `stored` and `edited` are the lines' values, in order."""
    found = []
    for number in range(1, max(len(stored), len(edited)) + 1):
        old = stored[number - 1] if number <= len(stored) else None
        new = edited[number - 1] if number <= len(edited) else None
        if old is None or new is None:
            row = old if new is None else new
            text = " · ".join(str(_kept(v)) for v in row.values() if v not in (None, ""))
            found.append([f"{related}.{number}", text if new is None else None,
                          text if old is None else None])  # fmt: skip
            continue
        for name, value in new.items():
            if name in old and old[name] != value:
                found.append([f"{related}.{number}.{name}", _kept(old[name]), _kept(value)])
    return found


def _field(model, name: str):
    """A changed field's label and its field (None for a line added or removed, or a field
    since removed): `lines.2.cartons` is the 2nd line's cartons."""
    parts = name.split(".")
    try:
        if len(parts) > 1:
            line = _("line %(number)s") % {"number": parts[1]}
            if len(parts) == 2:
                return line, None
            label, field = _field(model._meta.get_field(parts[0]).related_model, parts[2])
            return f"{line} {label}", field
        field = model._meta.get_field(name)
        return str(field.verbose_name), field
    except (LookupError, AttributeError, FieldDoesNotExist):
        return name, None


def _shown(field, value) -> str:
    """A kept value as the reader reads it: a choice's label, an empty value as a dash."""
    if value in (None, ""):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def changes_text(model, found: list) -> str:
    """Kept changes as one line: "delivery date 2026-01-05 → 2026-02-01; line 1 cartons — → 20".
    `model` is the changed record's model or its label ("sales.payment")."""
    if isinstance(model, str):
        try:
            model = apps.get_model(model)
        except (LookupError, ValueError):
            return ""
    shown = []
    for name, old, new in (tuple(change) for change in found if len(change) == 3):
        label, field = _field(model, name)
        shown.append(f"{label} {_shown(field, old)} → {_shown(field, new)}")
    return "; ".join(shown)


def _fill(text, data) -> str:
    """`text` with the event's details; without them, its part before the colon."""
    try:
        return str(text) % dict(data or {})
    except (KeyError, TypeError, ValueError):
        return str(text).split(":")[0]


def code_of(record) -> str:
    """How a message names the record: its code."""
    return str(getattr(record, "code", None) or record)


_workflows: dict[type, Workflow] = {}


def workflow_of(event) -> Workflow:
    """The workflow whose history `event` belongs to."""
    return _workflows[type(event)]
