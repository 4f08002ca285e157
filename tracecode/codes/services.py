"""Giving codes: the one place a code is allocated, previewed, cancelled or imported.

Guarantees: a code is unique across the system; within its scope the serials of committed
codes have no gaps and no duplicates (the counter is advanced in the transaction that saves
the record, so a rollback gives the number back); a code never changes and is never
reused: cancelling marks it, nothing deletes it.
"""

import contextlib
import csv
import datetime
import io
import itertools
import json
import threading
import time
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Model, Sum
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from . import core
from .models import CodeEntry, Counter, CounterChange, Scheme

# One statement takes the next serial and locks the scope's counter until commit, on SQLite
# (>= 3.35) and PostgreSQL alike: a new scope starts at the scheme's start, an existing one
# moves by its step. Counters always hold a serial on the scheme's step grid.
ADVANCE = """
INSERT INTO codes_counter (scheme, scope, last) VALUES (%s, %s, %s)
ON CONFLICT (scheme, scope) DO UPDATE SET last = codes_counter.last + %s
RETURNING last
"""

# PostgreSQL: the counter's step and the registry entry in one statement. With one hot scope
# every writer queues on the counter's row lock until commit, so each round trip saved while
# holding it counts. `allocate` selects the entry from it (measured with bench/codes.py,
# 2 cores, PostgreSQL 15 defaults: coded/orm from 0.60 to 0.70 with 1 process and from 0.42
# to 0.65 with 4 processes on one scope). `create_with_code` puts the record's own INSERT
# after it, as the ORM writes it with its code the value of NEXT_CODE: alone, outside a
# transaction, that statement is a transaction of its own, and a record whose save is
# nothing more (no signal, no save() of its own) costs one round trip instead of four
# (BEGIN, the counter and registry, the record, COMMIT); minimal model, 1 process, one
# scope: coded/plain 0.70 → 0.87, see the README. There a code that would not fit the scheme
# (a serial too wide, a code too long) is NULL: the statement fails on the registry's NOT
# NULL, writes nothing, and the checked path (`allocate`, which checks what it got in
# Python: its `checked_after` parameter is true) says why.
NEXT_CODE = "(SELECT code FROM tracecode_next_code)"
WITH_NEXT_CODE = """
WITH tracecode_counter AS (
    INSERT INTO codes_counter (scheme, scope, last) VALUES (%s, %s, %s)
    ON CONFLICT (scheme, scope) DO UPDATE SET last = codes_counter.last + %s
    RETURNING last
), tracecode_made AS (
    SELECT last, %s || lpad(last::text, greatest(length(last::text), %s), '0') || %s AS code
    FROM tracecode_counter
), tracecode_next_code AS (
    INSERT INTO codes_codeentry (
        code, scheme, scope, serial, parent_code, parts, record_type, status, origin,
        created_at, created_by_id, cancel_reason
    )
    SELECT CASE WHEN %s OR (length(code) <= %s AND (%s OR length(last::text) <= %s))
                THEN code END,
           %s, %s, last, %s, %s::jsonb, %s, 'active', 'allocated', now(), %s, ''
    FROM tracecode_made
    RETURNING id, code, serial
)
"""
ADVANCE_AND_REGISTER = WITH_NEXT_CODE + "SELECT id, code, serial FROM tracecode_next_code"

# Legacy import and "set next value": move a counter forward, never back.
RAISE = """
INSERT INTO codes_counter (scheme, scope, last) VALUES (%s, %s, %s)
ON CONFLICT (scheme, scope) DO UPDATE SET last = CASE
    WHEN codes_counter.last < excluded.last THEN excluded.last ELSE codes_counter.last END
RETURNING last
"""

# Each process compiles the schemes once and checks the table's stamp (rows, newest row, sum of
# the versions, which every change moves on) when a request or a task starts, and at least
# every SCHEMES_TTL_SECONDS in anything longer: a scheme changed through another app server is
# in force here from the next request, and a request pays one small query at most.
SCHEMES_TTL_SECONDS = 2.0


class CodingError(Exception):
    """A code cannot be given, previewed or imported; the message says why."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    def naming(self, field: str | None) -> "CodingError":
        """The same error on the field of the record its code is built from (None: on none
        of them), raised by a service that knows the record's fields."""
        return CodingError(str(self), field)


@dataclass
class _Cache:
    schemes: core.SchemeSet | None = None
    stamp: tuple | None = None
    checked: float = 0.0


_cache = _Cache()
_cache_lock = threading.Lock()


def forget_schemes() -> None:
    """Drop this process's compiled schemes (after a change, or between tests)."""
    with _cache_lock:
        _cache.schemes, _cache.stamp, _cache.checked = None, None, 0.0


def check_schemes_again(**kwargs) -> None:
    """Make the next use of the schemes check the table (a request or a task starts)."""
    _cache.checked = float("-inf")


def _stamp() -> tuple:
    row = Scheme.objects.aggregate(n=Count("pk"), top=Max("pk"), versions=Sum("version"))
    return (row["n"], row["top"], row["versions"])


def schemes() -> core.SchemeSet:
    """The schemes in force, compiled once per process and re-read when the table changes."""
    return _in_force(install=True)


def schemes_to_check_against() -> core.SchemeSet:
    """The schemes in force, without writing anything: the default preset on an empty table."""
    return _in_force(install=False)


def _in_force(install: bool) -> core.SchemeSet:
    """The compiled schemes while fresh, else as the table's stamp says (one small query). An
    empty table is given the default preset's rows with `install`, else only its schemes."""
    now = time.monotonic()
    with _cache_lock:
        if _cache.schemes is not None and now - _cache.checked < SCHEMES_TTL_SECONDS:
            return _cache.schemes
        stamp = _stamp()
        if stamp[0] == 0:
            if not install:
                return core.load_preset(core.DEFAULT_PRESET)
            install_default_schemes()
            stamp = _stamp()
        if stamp != _cache.stamp:
            rows = Scheme.objects.order_by("pk").values_list("name", "definition")
            _cache.schemes = core.SchemeSet.from_dicts(dict(rows))
            _cache.stamp = stamp
        _cache.checked = now
        return _cache.schemes


def install_default_schemes() -> None:
    """Load the REKO preset when no scheme exists yet (idempotent under concurrency)."""
    text = core.preset_text(core.DEFAULT_PRESET)
    rows = [
        Scheme(name=s.name, label=s.label, definition=s.as_dict(), source="")
        for s in core.load(text).values()
    ]
    Scheme.objects.bulk_create(rows, ignore_conflicts=True)


def scheme(name: str) -> core.Scheme:
    """The scheme called `name`, or a CodingError naming the known ones."""
    current = schemes()
    if name not in current:
        known = ", ".join(current)
        raise CodingError(f"no scheme {name!r} (known: {known})", "scheme")
    return current[name]


def _values(
    sch: core.Scheme, parent: str | None, fields: dict | None, date: datetime.date | None
) -> core.Values:
    if sch.needs_date and date is None:
        date = timezone.localdate()
    try:
        return sch.normalise(core.Values(parent=parent, fields=fields or {}, date=date))
    except core.ValueProblem as problem:
        raise CodingError(str(problem), problem.field) from None


def _check_parent(sch: core.Scheme, parent: str | None, checked: set | None = None) -> None:
    """A CodingError unless `parent` is a registered code not cancelled (`checked`: parents
    found good already, and not asked for again)."""
    if not sch.needs_parent or (checked is not None and parent in checked):
        return
    entry = CodeEntry.objects.filter(code=parent).only("status").first()
    if entry is None:
        raise CodingError(f"parent {parent} is not a registered code", "parent")
    if entry.is_cancelled:
        raise CodingError(
            f"parent {parent} is cancelled: nothing new is numbered under it", "parent"
        )
    if checked is not None:
        checked.add(parent)


def _overflow(error: core.CodeOverflow) -> CodingError:
    return CodingError(str(error), "serial")


def allocate(
    scheme_name: str,
    *,
    parent: str | None = None,
    fields: dict | None = None,
    date: datetime.date | None = None,
    record_type: str = "",
    user=None,
) -> CodeEntry:
    """Give the next code of a scheme and register it, inside the caller's transaction.

    Call it as late as possible in the transaction that saves the record: on PostgreSQL the
    scope's counter row stays locked until commit.
    """
    sch, values, entry, prefix, suffix = _prepare(
        scheme_name, parent, fields, date, record_type, user
    )
    # No savepoint: an error must roll back the caller's whole transaction anyway, and a
    # savepoint costs a round trip on every allocation.
    with transaction.atomic(savepoint=False):
        try:
            if connection.vendor == "postgresql":
                _advance_and_register(entry, sch, prefix, suffix)
            else:
                _advance_then_register(entry, sch, prefix, suffix)
        except IntegrityError:
            raise CodingError(
                f"the next {sch.name} code is already registered; check for overlapping schemes"
            ) from None
        _check_fit(sch, values, entry)
        return entry


def _check_fit(sch: core.Scheme, values: core.Values, entry: CodeEntry) -> None:
    """A CodingError when the allocated code is too long or its serial too wide."""
    if len(entry.code) > sch.max_length or (
        len(str(entry.serial)) > sch.serial_width and not sch.serial_widens
    ):
        try:  # the core says why, naming scheme and scope
            sch.format(values, entry.serial)
        except core.CodeOverflow as error:
            raise _overflow(error) from None


def _prepare(scheme_name, parent, fields, date, record_type, user, checked=None):
    """For the next code of `scheme_name`: the scheme, the normalised values, the unsaved
    registry entry (scope, parent, parts) and the code's text around its serial."""
    sch = scheme(scheme_name)
    values = _values(sch, parent, fields, date)
    _check_parent(sch, values.parent, checked)
    prefix, suffix = sch.around_serial(values)
    entry = CodeEntry(
        scheme=sch.name,
        scope=sch.scope_key(values),
        parent_code=values.parent or "",
        parts=_parts(values),
        record_type=record_type,
        created_by=user if user is not None and user.pk else None,
    )
    return sch, values, entry, prefix, suffix


def _advance_then_register(entry: CodeEntry, sch: core.Scheme, prefix: str, suffix: str) -> None:
    """The portable path: take the next serial, then insert the registry entry."""
    with connection.cursor() as cursor:
        cursor.execute(ADVANCE, [sch.name, entry.scope, sch.first_serial, sch.step])
        entry.serial = cursor.fetchone()[0]
    entry.code = _code_text(sch, prefix, entry.serial, suffix)
    entry.save(force_insert=True)


def _code_text(sch: core.Scheme, prefix: str, serial: int, suffix: str) -> str:
    return f"{prefix}{serial:0{sch.serial_width}d}{suffix}"


def _advance_and_register(entry: CodeEntry, sch: core.Scheme, prefix: str, suffix: str) -> None:
    """The PostgreSQL path: both in one statement (see ADVANCE_AND_REGISTER)."""
    with connection.cursor() as cursor:
        cursor.execute(ADVANCE_AND_REGISTER, _next_code_params(entry, sch, prefix, suffix, True))
        entry.pk, entry.code, entry.serial = cursor.fetchone()
    entry._state.adding = False


def _next_code_params(entry, sch, prefix, suffix, checked_after: bool) -> list:
    """The parameters of WITH_NEXT_CODE; `checked_after`: the caller checks the code's fit."""
    return [
        sch.name, entry.scope, sch.first_serial, sch.step,
        prefix, sch.serial_width, suffix,
        checked_after, sch.max_length, sch.serial_widens, sch.serial_width,
        sch.name, entry.scope, entry.parent_code, json.dumps(entry.parts, ensure_ascii=False),
        entry.record_type, entry.created_by_id,
    ]  # fmt: skip


def create_with_code(record, scheme_name: str, *, user=None, parent=None, fields=None, date=None):
    """Save a new record with the next code of the scheme, in one transaction.

    A record that already carries a code (given before Tracecode, as an import brings it)
    keeps it: `register_given` checks it against the scheme, the parent and the fields, and
    moves its counter past it. A code that does not fit is refused, never changed to fit.
    """
    record_type = record._meta.label_lower
    one_statement = not record.code and connection.vendor == "postgresql"
    if one_statement and _saved_in_one_statement(
        record, scheme_name, parent, fields, date, record_type, user
    ):
        return record
    with transaction.atomic():
        if record.code:
            entry = register_given(
                record.code,
                scheme_name,
                parent=parent,
                fields=fields,
                record_type=record_type,
                user=user,
            )
        else:
            entry = allocate(
                scheme_name,
                parent=parent,
                fields=fields,
                date=date,
                record_type=record_type,
                user=user,
            )
        record.code = entry.code
        record.save(force_insert=True)
    return record


def _saved_in_one_statement(record, scheme_name, parent, fields, date, record_type, user) -> bool:
    """Save `record` with its next code through WITH_NEXT_CODE; False, with nothing written,
    when the registry refused the code (taken, or not fitting): the checked path says why."""
    model = type(record)
    sch, _, entry, prefix, suffix = _prepare(scheme_name, parent, fields, date, record_type, user)
    params = _next_code_params(entry, sch, prefix, suffix, False)

    def with_next_code(execute, sql, statement_params, many, context):
        if NEXT_CODE in sql and not many:
            return execute(WITH_NEXT_CODE + sql, [*params, *statement_params], many, context)
        return execute(sql, statement_params, many, context)

    # Alone, the statement is its own transaction; anything more a save does (signals, a save()
    # of the model's own, parent tables) commits with it.
    alone = not connection.in_atomic_block and not (
        pre_save.has_listeners(model)
        or post_save.has_listeners(model)
        or model.save is not Model.save
        or record._meta.parents
    )
    try:
        with contextlib.nullcontext() if alone else transaction.atomic():
            record.code = RawSQL(NEXT_CODE, [])
            with connection.execute_wrapper(with_next_code):
                record.save(force_insert=True)
    except IntegrityError as error:
        record.code = ""
        if getattr(getattr(error.__cause__, "diag", None), "table_name", "") == "codes_codeentry":
            return False
        raise
    except BaseException:
        record.code = ""
        raise
    return True


@dataclass
class _Planned:
    """A record's registry entry before its counter has moved: a given code's (`values` None),
    or one to allocate, with its scope's values and the code's text around the serial."""

    entry: CodeEntry
    values: core.Values | None = None
    prefix: str = ""
    suffix: str = ""


def create_many_with_codes(
    records, scheme_name: str, *, user=None, parents=None, fields=None, dates=None
):
    """Save new records of one model with their codes, in one transaction, exactly as
    `create_with_code` would save them one after the other (`parents`, `fields` and `dates`:
    a list with one item per record, or None).

    A record that carries a code registers it, checked as `register_given` checks it; the
    others get the next serials of their scopes, in order, gapless and unique: each scope's
    counter moves as one by one would move it, in at most two statements (`_number`).
    bulk_create skips the model's save(): the caller does what it would do (Customer.stamp);
    post_save is sent for each record, as save() sends it, for the search index and the
    other followers. A code that is taken or does not fit raises CodingError; nothing is
    saved then.
    """
    if not records:
        return records
    count = len(records)
    parents, fields = parents or [None] * count, fields or [None] * count
    dates = dates or [None] * count
    sch = scheme(scheme_name)
    model = type(records[0])
    record_type = model._meta.label_lower
    with transaction.atomic():
        checked = _good_parents(sch, parents)  # the others looked up once each, to say why
        planned = [
            _plan(record.code, sch, parent, values, date, record_type, user, checked)
            for record, parent, values, date in zip(records, parents, fields, dates, strict=True)
        ]
        # Counters are moved (and locked until commit) in the order of their scopes, whoever
        # writes: two chunks under the same parents wait for each other instead of
        # deadlocking (PostgreSQL; test_order_chunks_from_processes). Each scope's serials
        # do not depend on when its counter moves within the chunk.
        for scope, in_scope in sorted(_scopes(planned).items(), key=lambda item: item[0]):
            _number(sch, scope, in_scope)
        try:
            with transaction.atomic():
                CodeEntry.objects.bulk_create([p.entry for p in planned])
        except IntegrityError:
            raise CodingError(f"a code of these {sch.name} records is already registered") from None
        for record, p in zip(records, planned, strict=True):
            record.code = p.entry.code
        model._default_manager.bulk_create(records)
        for record in records:
            record._loaded_code = record.code  # as CodedModel.save() keeps it: never changed
            post_save.send(sender=model, instance=record, created=True, update_fields=None,
                           raw=False, using=record._state.db)  # fmt: skip
    return records


def _good_parents(sch: core.Scheme, parents) -> set:
    """Those of `parents` that are registered codes not cancelled, in one query: what
    `_check_parent` finds good, for a chunk's records under many parents (a project each)."""
    wanted = {parent for parent in parents if parent} if sch.needs_parent else set()
    if not wanted:
        return set()
    found = CodeEntry.objects.filter(code__in=wanted).exclude(status=CodeEntry.Status.CANCELLED)
    return set(found.values_list("code", flat=True))


def _plan(code, sch: core.Scheme, parent, fields, date, record_type: str, user, checked):
    if code:
        parsed = _checked_given(code, sch, parent, fields, checked)
        return _Planned(_legacy_entry(parsed, sch, record_type, user))
    _sch, values, entry, prefix, suffix = _prepare(
        sch.name, parent, fields, date, record_type, user, checked
    )
    return _Planned(entry, values, prefix, suffix)


def _scopes(planned: list[_Planned]) -> dict[str, list[_Planned]]:
    by_scope: dict[str, list[_Planned]] = {}
    for p in planned:
        by_scope.setdefault(p.entry.scope, []).append(p)
    return by_scope


def _number(sch: core.Scheme, scope: str, planned: list[_Planned]) -> None:
    """Give a scope's records to allocate their serials and move its counter as one by one
    would, in at most two statements: the first run of records of one sort (given codes, or
    codes to allocate) through the counter's own statement, which makes a new scope's counter
    and locks it until commit; the runs after it from the serial that returned, the counter
    then set once to the last."""
    runs = [list(run) for _given, run in itertools.groupby(planned, key=lambda p: p.values is None)]
    last = _move_counter(sch, scope, runs[0])
    for run in runs[1:]:
        if run[0].values is None:
            last = max(last, *(p.entry.serial for p in run))
        else:
            last = _give_serials(sch, run, last + len(run) * sch.step)
    if len(runs) > 1:
        _raise_counter(sch, scope, last)


def _move_counter(sch: core.Scheme, scope: str, run: list[_Planned]) -> int:
    """Move the counter past a run of given codes, or by a run's k serials to allocate (one
    ADVANCE of k steps; a new scope starts at the scheme's first serial); its last serial."""
    if run[0].values is None:
        return _raise_counter(sch, scope, max(p.entry.serial for p in run))
    k = len(run)
    with connection.cursor() as cursor:
        cursor.execute(
            ADVANCE, [sch.name, scope, sch.first_serial + (k - 1) * sch.step, k * sch.step]
        )
        return _give_serials(sch, run, cursor.fetchone()[0])


def _give_serials(sch: core.Scheme, run: list[_Planned], last: int) -> int:
    """Give a run the serials up to `last`, in order, a step apart; `last`."""
    for position, p in enumerate(run):
        p.entry.serial = last - (len(run) - 1 - position) * sch.step
        p.entry.code = _code_text(sch, p.prefix, p.entry.serial, p.suffix)
        _check_fit(sch, p.values, p.entry)
    return last


def preview(
    scheme_name: str,
    *,
    parent: str | None = None,
    fields: dict | None = None,
    date: datetime.date | None = None,
) -> str:
    """The code `allocate` would give now, without using it up."""
    sch = scheme(scheme_name)
    values = _values(sch, parent, fields, date)
    scope = sch.scope_key(values)
    last = Counter.objects.filter(scheme=sch.name, scope=scope).values_list("last", flat=True)
    try:
        return sch.format(values, sch.next_serial(last.first()))
    except core.CodeOverflow as error:
        raise _overflow(error) from None


def _parts(values: core.Values) -> dict:
    parts: dict = dict(values.fields)
    if values.date is not None:
        parts["date"] = values.date.isoformat()
    return parts


def cancel(code: str, *, user=None, reason: str = "") -> CodeEntry:
    """Mark a code cancelled: it stays used and is never given again."""
    entry = CodeEntry.objects.filter(code=code).first()
    if entry is None:
        raise CodingError(f"{code} is not a registered code", "code")
    if not entry.is_cancelled:
        entry.status = CodeEntry.Status.CANCELLED
        entry.cancelled_at = timezone.now()
        entry.cancelled_by = user
        entry.cancel_reason = reason[:200]
        entry.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return entry


def _raise_counter(sch: core.Scheme, scope: str, serial: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(RAISE, [sch.name, scope, serial])
        return cursor.fetchone()[0]


def set_next(
    scheme_name: str,
    next_serial: int,
    *,
    user,
    parent: str | None = None,
    fields: dict | None = None,
    date: datetime.date | None = None,
    reason: str = "",
) -> str:
    """Make the next serial of the record's scope `next_serial`; return the next code."""
    sch = scheme(scheme_name)
    values = _values(sch, parent, fields, date)
    set_next_in_scope(scheme_name, sch.scope_key(values), next_serial, user=user, reason=reason)
    return preview(scheme_name, parent=parent, fields=fields, date=date)


def set_next_in_scope(
    scheme_name: str, scope: str, next_serial: int, *, user, reason: str = ""
) -> int:
    """Move a counter so its next serial is `next_serial`: forward only, and recorded."""
    sch = scheme(scheme_name)
    with transaction.atomic():
        old = Counter.objects.filter(scheme=sch.name, scope=scope).values_list("last", flat=True)
        old_last = old.first()
        current_next = sch.next_serial(old_last)
        if next_serial < current_next:
            raise CodingError(
                f"the next serial of {sch.name} [{scope or 'all'}] is {current_next}; "
                f"it only moves forward",
                "next_serial",
            )
        if (next_serial - sch.start) % sch.step:
            raise CodingError(
                f"{next_serial} is not a serial scheme {sch.name} gives "
                f"(start {sch.start}, step {sch.step})",
                "next_serial",
            )
        if next_serial > current_next:
            new_last = _raise_counter(sch, scope, next_serial - sch.step)
            CounterChange.objects.create(
                scheme=sch.name,
                scope=scope,
                old_last=old_last,
                new_last=new_last,
                reason=reason,
                changed_by=user,
            )
    return next_serial


def register_legacy(code: str, scheme_name: str, *, user=None, record_type: str = "") -> CodeEntry:
    """Register a code given before the system, as it is, and move its counter past it."""
    sch = scheme(scheme_name)
    try:
        parsed = schemes().parse(code, scheme=sch.name)
    except core.ParseError as error:
        raise CodingError(f"{code} is not a {sch.name} code: {error}", "code") from None
    with transaction.atomic(savepoint=False):
        _raise_counter(sch, parsed.scope_key, parsed.serial)
        try:
            entry = _legacy_entry(parsed, sch, record_type, user)
            entry.save(force_insert=True)
            return entry
        except IntegrityError:
            raise CodingError(f"{code} is already registered", "code") from None


def _legacy_entry(parsed: core.Parsed, sch: core.Scheme, record_type: str, user) -> CodeEntry:
    """The registry entry of a code given before the system, not saved yet."""
    return CodeEntry(
        code=parsed.code,
        scheme=sch.name,
        scope=parsed.scope_key,
        serial=parsed.serial,
        parent_code=parsed.parent or "",
        parts={**parsed.fields, **parsed.date_parts},
        record_type=record_type,
        origin=CodeEntry.Origin.IMPORTED,
        created_by=user,
    )


def _parsed(code: str, sch: core.Scheme) -> core.Parsed:
    """`code` read as a code of `sch`, as typed or in capitals (rk888 is RK888)."""
    try:
        return schemes().parse(code, scheme=sch.name)
    except core.ParseError as error:
        if code.upper() != code:
            try:
                return schemes().parse(code.upper(), scheme=sch.name)
            except core.ParseError:
                pass
        raise CodingError(f"{code} is not a {sch.name} code: {error}", "code") from None


def register_given(
    code: str,
    scheme_name: str,
    *,
    parent: str | None = None,
    fields: dict | None = None,
    record_type: str = "",
    user=None,
) -> CodeEntry:
    """Register the code a new record brings: a code of the scheme, under `parent`, saying
    the record's own `fields` (a blank one is not compared); its counter moves past it."""
    sch = scheme(scheme_name)
    parsed = _checked_given(code, sch, parent, fields)
    return register_legacy(parsed.code, sch.name, user=user, record_type=record_type)


def _checked_given(code: str, sch: core.Scheme, parent, fields, checked=None) -> core.Parsed:
    """The code a new record brings, read as a code of `sch` under `parent` that says the
    record's own `fields`; a CodingError when it is not."""
    parsed = _parsed(code, sch)
    if sch.needs_parent:
        _check_parent(sch, parent, checked)
        if parsed.parent != parent:
            raise CodingError(f"{parsed.code} is not a code under {parent}", "code")
    given = {k: str(v) for k, v in (fields or {}).items() if v is not None and str(v).strip()}
    if given:
        values = core.Values(
            parent=parsed.parent, fields={**parsed.fields, **given}, date=timezone.localdate()
        )
        normal = _values(sch, parsed.parent, values.fields, values.date).fields
        for name in given:
            if name in parsed.fields and normal.get(name) != parsed.fields[name]:
                raise CodingError(
                    f"{parsed.code} is a code of {name} {parsed.fields[name]}, "
                    f"the record's is {normal.get(name)}",
                    name,
                )
    return parsed


@dataclass
class ImportResult:
    imported: list[str]


def _csv_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text; a bare CR ends a row as CRLF and LF do (old Mac files)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:
        raise CodingError(f"line {reader.line_num}: {error}", "file") from None


def import_csv(text: str, scheme_name: str, *, user=None) -> ImportResult:
    """Register legacy codes from CSV (a `code` column, or the first column): all or nothing.

    A bad row raises CodingError naming its line; then nothing is imported.
    """
    rows = _csv_rows(text.lstrip("\ufeff"))
    if not rows:
        raise CodingError("the file is empty", "file")
    header = [cell.strip().lower() for cell in rows[0]]
    column, start = (header.index("code"), 1) if "code" in header else (0, 0)
    imported = []
    with transaction.atomic():
        for number, row in enumerate(rows[start:], start=start + 1):
            if not row or not "".join(row).strip():
                continue
            code = row[column].strip() if column < len(row) else ""
            try:
                if not code:
                    raise CodingError("no code in this row")
                register_legacy(code, scheme_name, user=user)
            except CodingError as error:
                raise CodingError(f"line {number}: {error}", "file") from None
            imported.append(code)
    return ImportResult(imported=imported)


def explain(code: str, user=None) -> dict:
    """What a code means, part by part, and whether and for what it is registered.

    With a `user`, the registry is consulted only for codes that user may know about.
    """
    from . import registry

    code = registry.normalise(code)
    entry = CodeEntry.objects.filter(code__in=registry.spellings(code)).first()
    if entry is not None:
        code = entry.code  # as registered: rk1046-1-s1 explains RK1046-1-S1
    elif code.upper() != code and _parses(code.upper()):
        code = code.upper()
    if user is not None and entry is not None and code not in visible_codes(user, [code]):
        entry = None
    try:
        explanation = schemes().explain(code)
    except core.ParseError as error:
        return {
            "code": code,
            "well_formed": False,
            "error": str(error),
            "position": error.position,
            "matched": code[: error.position],
            "unmatched": code[error.position :],
            "registered": entry is not None,
        }
    result = _explanation_dict(explanation)
    result["registered"] = entry is not None
    if entry is not None:
        found = registry.find(code, user) if user is not None else registry.find(code)
        result.update(
            status=entry.status,
            record_type=entry.record_type,
            given_at=entry.created_at.isoformat(),
            origin=entry.origin,
            record_kind=found.kind.name if found else None,
            record_label=str(found.kind.model._meta.verbose_name) if found else None,
        )
    return result


def _parses(code: str) -> bool:
    try:
        schemes().parse(code)
    except core.ParseError:
        return False
    return True


def _explanation_dict(explanation: core.Explanation) -> dict:
    return {
        "code": explanation.code,
        "well_formed": True,
        "scheme": explanation.scheme,
        "scheme_label": explanation.scheme_label,
        "summary": explanation.summary("en"),
        "summary_zh": explanation.summary("zh"),
        "parts": [
            {
                "kind": part.kind,
                "text": part.text,
                "name": part.name,
                "label": part.label,
                "label_zh": part.label_zh,
                "meaning": part.meaning,
                "meaning_zh": part.meaning_zh,
            }
            for part in explanation.parts
        ],
    }


def find(text: str, user=None) -> list[dict]:
    """Every code of the schemes in force inside free text, with its registry status."""
    found = schemes().find(text)
    codes = [f.code for f in found]
    if user is not None:
        codes = list(visible_codes(user, codes))
    entries = {e.code: e for e in CodeEntry.objects.filter(code__in=codes).only("code", "status")}
    return [
        {
            "code": f.code,
            "scheme": f.scheme,
            "start": f.start,
            "end": f.end,
            "registered": f.code in entries,
            "status": entries[f.code].status if f.code in entries else None,
        }
        for f in found
    ]


def load_scheme_file(text: str, *, user=None) -> list[str]:
    """Add or update the schemes of a scheme file; existing codes stay as they are.

    The file is checked on top of the schemes in force (its parents may be theirs). Raises
    core.SchemeError with every problem when it does not check; then nothing changes.
    """
    merged = core.load(text, base=schemes())
    names = core.scheme_names(text)
    now = timezone.now()
    with transaction.atomic():
        for name in names:
            sch = merged[name]
            Scheme.objects.update_or_create(
                name=name,
                defaults={
                    "label": sch.label,
                    "definition": sch.as_dict(),
                    "source": text,
                    "updated_at": now,
                    "updated_by": user,
                },
            )
    forget_schemes()
    return names


def visible_codes(user, codes) -> set[str]:
    """Those of `codes` whose record `user` may see (see registry.visible_codes)."""
    from . import registry

    return registry.visible_codes(user, codes)


SAMPLE_TEXT = "浙江杭州代理商产品"  # enough Chinese for any {field:initials:N} in a preview


def sample_codes(schemes_: core.SchemeSet, names: list[str]) -> dict[str, list[tuple[str, str]]]:
    """What each named scheme produces: its first code and its last fixed-width one."""
    samples: dict[str, list[tuple[str, str]]] = {}
    today = timezone.localdate()
    for name in names:
        sch = schemes_[name]
        try:
            values = _sample_values(schemes_, sch, today)
            rows = [("first", sch.format(values, sch.first_serial))]
            if not sch.serial_widens:
                top = sch.start + (10**sch.serial_width - 1 - sch.start) // sch.step * sch.step
                rows.append(("last", sch.format(values, top)))
        except (core.ValueProblem, core.CodeOverflow) as error:
            rows = [("error", str(error))]
        samples[name] = rows
    return samples


def _sample_values(schemes_: core.SchemeSet, sch: core.Scheme, today) -> core.Values:
    fields = {}
    for name in sch.field_names:
        table = sch.tables.get(name)
        fields[name] = next(iter(table)) if table else None
    for ref in sch.segments:
        if getattr(ref, "initials", False):
            fields[ref.name] = SAMPLE_TEXT
        elif getattr(ref, "name", None) in fields and fields[ref.name] is None:
            fields[ref.name] = "A" * sch.field_width(ref)
    parent = None
    if sch.parent:
        owner = schemes_[sch.parent]
        parent = owner.format(_sample_values(schemes_, owner, today), owner.first_serial)
    return core.Values(parent=parent, fields=fields, date=today)
