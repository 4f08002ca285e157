"""The rules of importing and exporting, one function each: the pages, the API, the command
and the task worker call these.

    run = start(user, "customers", upload)   # kept; previewed in the background
    commit(run, keep_good=True)              # imported in the background
    undo(run, user=user)                     # while nothing else depends on what it made

Who: importing needs a user who may write; sales users change their own customers only
(rows naming anyone else's fail as an unknown code would), and only administrators and
managers bring customer codes not yet given. Exports hold what the list shows the user; a
list longer than TRACECODE_EXPORT_DIRECT_ROWS is written in the background:

    run = start_export(user, "customers", "status=3", "xlsx")   # a file, with progress
"""

import datetime
import os
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry
from tracecode.core.workflow import IllegalTransition

from . import cells, engine, progress, reading, sheets, writing
from .models import ExportRun, HeaderMapping, ImportRun

MAX_PROBLEMS = 2000  # kept and shown; the file of failing rows has every one


class ImportRefused(Exception):
    """An import cannot be started, run or undone; the message says why (API: 409)."""


# Headers -----------------------------------------------------------------------------------


def remembered(user, kind_name: str) -> dict[str, str]:
    """The headers `user` mapped for a kind: header key → column key ("" to leave out)."""
    rows = HeaderMapping.objects.filter(user=user, kind=kind_name)
    return dict(rows.values_list("header_key", "column"))


def remember(user, kind_name: str, mapping: dict[str, str]) -> None:
    """Keep what `user` said each header is (a column key, or "" to leave it out)."""
    kind = sheets.get(kind_name)
    known = {c.key for c in kind.columns}
    if kind.lines is not None:
        known |= {c.key for c in kind.lines.columns}
    for header, column in mapping.items():
        if column and column not in known:
            raise ValidationError({header: [_("%(column)s is not a column of %(kind)s.")
                                            % {"column": column, "kind": kind.label}]})  # fmt: skip
        HeaderMapping.objects.update_or_create(
            user=user,
            kind=kind_name,
            header_key=cells.key(header),
            defaults={"header": header[:200], "column": column or ""},
        )


def mappable_columns(kind) -> list[tuple[str, str]]:
    """The columns a header may be mapped to, as (key, label)."""
    columns = [c for c in kind.columns if c.imported or c.key in ("code", "ref")]
    if kind.lines is not None:
        columns += [c for c in kind.lines.columns if c not in columns]
    seen, choices = set(), []
    for column in columns:
        if column.key not in seen:
            seen.add(column.key)
            choices.append((column.key, str(column.label)))
    return choices


# Starting and running ----------------------------------------------------------------------


def _check(user, kind) -> None:
    if not kind.may_import(user):
        raise PermissionDenied(_("You may not import %(kind)s.") % {"kind": kind.label})


def start(user, kind_name: str, upload, *, keep_good: bool = False, enqueue=True) -> ImportRun:
    """Keep the uploaded file and preview it in the background (a dry run)."""
    kind = sheets.get(kind_name)
    _check(user, kind)
    name = os.path.basename(upload.name or "upload")[:200] or "upload"
    run = ImportRun(
        user=user,
        kind=kind.name,
        file_name=name,
        size=upload.size or 0,
        keep_good=keep_good,
        stage=ImportRun.Stage.PREVIEW,
        language=translation.get_language() or "en",
    )
    stored = get_valid_filename(name) or "upload"
    run.file.save(f"{timezone.now():%Y%m%d-%H%M%S}-{stored}", upload, save=False)
    run.save()
    if enqueue:
        _enqueue(run)
    return run


def _enqueue(run: ImportRun) -> None:
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(run.pk))


def preview_again(run: ImportRun) -> ImportRun:
    """Preview once more (after the columns were mapped)."""
    if run.is_active:
        raise ImportRefused(_("This import is still running."))
    if run.stage not in (ImportRun.Stage.MAPPING, ImportRun.Stage.PREVIEW) or run.committed:
        raise ImportRefused(_("This file has been imported already."))
    _reset(run, ImportRun.Stage.PREVIEW)
    _enqueue(run)
    return run


def commit(run: ImportRun, *, keep_good: bool | None = None) -> ImportRun:
    """Import a previewed file in the background: all or nothing, or the good rows."""
    if run.is_active:
        raise ImportRefused(_("This import is still running."))
    if run.stage != ImportRun.Stage.PREVIEW or run.status != ImportRun.Status.DONE:
        raise ImportRefused(_("Only a file that has been previewed can be imported."))
    if keep_good is not None:
        run.keep_good = keep_good
    if run.failed and not run.keep_good:
        raise ImportRefused(
            _("%(count)s rows fail: fix them and upload the file again, or import the good "
              "rows only.") % {"count": run.failed}
        )  # fmt: skip
    _reset(run, ImportRun.Stage.IMPORT)
    _enqueue(run)
    return run


def _reset(run: ImportRun, stage: str) -> None:
    run.stage = stage
    run.status = ImportRun.Status.WAITING
    run.done = 0
    run.error = ""
    run.save(update_fields=["stage", "status", "done", "error", "keep_good"])


def execute(run_id: int) -> dict:
    """The task: read the file and preview or import it, as the run's stage says."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if run.stage not in (ImportRun.Stage.PREVIEW, ImportRun.Stage.IMPORT):
        return {"stage": run.stage}
    progress.started(run)
    publish = progress.Publisher(run)
    try:
        with translation.override(run.language):
            return _execute(run, publish)
    except Exception as error:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    finally:
        publish.close()


def _execute(run: ImportRun, publish) -> dict:
    kind = sheets.get(run.kind)
    try:
        run.file.open("rb")
        try:
            data = run.file.read()
        finally:
            run.file.close()
        book = reading.read(data, run.file_name)
        layout = engine.arrange(kind, book, remembered(run.user, kind.name))
    except engine.NeedsMapping as needed:
        _finish(run, stage=ImportRun.Stage.MAPPING, unknown_headers=needed.unknown)
        return {"stage": "mapping"}
    except (reading.Unreadable, engine.Unsuitable) as refused:
        message = str(refused)
        if isinstance(refused, reading.Unreadable):
            message = _("The file cannot be read: %(why)s.") % {"why": refused}
        _finish(run, status=ImportRun.Status.FAILED, error=message)
        return {"error": message}
    ImportRun.objects.filter(pk=run.pk).update(total=layout.total)
    run.total = layout.total

    def report(outcome: engine.Outcome) -> None:
        publish(done=outcome.done, total=outcome.total, **outcome.counts())

    context = engine.Context(user=run.user, source=run.source)
    commit_ = run.stage == ImportRun.Stage.IMPORT
    outcome = engine.run(
        kind, layout, context=context, commit=commit_, keep_good=run.keep_good, progress=report
    )
    _finish(
        run,
        done=outcome.done,
        committed=outcome.committed,
        problems=[p.as_dict() for p in outcome.problems[:MAX_PROBLEMS]],
        failing_rows=outcome.failing_rows,
        preview=_jsonable(outcome.preview),
        changes=outcome.undo if outcome.committed else [],
        seconds=outcome.seconds,
        unknown_headers={},
        **outcome.counts(),
    )
    return {"committed": outcome.committed, **outcome.counts()}


def _finish(run: ImportRun, **values) -> None:
    values.setdefault("status", ImportRun.Status.DONE)
    values["finished_at"] = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def run_now(user, kind_name: str, data: bytes, file_name: str, *, commit: bool,
            keep_good: bool = False, mapping: dict | None = None, progress_=None):  # fmt: skip
    """An import in the foreground (the command): (run, outcome); NeedsMapping when headers
    name no column. The run is kept like any other."""
    kind = sheets.get(kind_name)
    _check(user, kind)
    if mapping:
        remember(user, kind.name, mapping)
    book = reading.read(data, file_name)
    layout = engine.arrange(kind, book, remembered(user, kind.name))
    run = start(user, kind.name, ContentFile(data, name=file_name), keep_good=keep_good,
                enqueue=False)  # fmt: skip
    run.stage = ImportRun.Stage.IMPORT if commit else ImportRun.Stage.PREVIEW
    run.total = layout.total
    progress.started(run)
    context = engine.Context(user=user, source=run.source)
    outcome = engine.run(kind, layout, context=context, commit=commit, keep_good=keep_good,
                         progress=progress_)  # fmt: skip
    _finish(
        run,
        stage=run.stage,
        total=layout.total,
        done=outcome.done,
        committed=outcome.committed,
        problems=[p.as_dict() for p in outcome.problems[:MAX_PROBLEMS]],
        failing_rows=outcome.failing_rows,
        preview=_jsonable(outcome.preview),
        changes=outcome.undo if outcome.committed else [],
        seconds=outcome.seconds,
        **outcome.counts(),
    )
    return run, outcome


# The file of failing rows ------------------------------------------------------------------


def failing_file(run: ImportRun) -> bytes:
    """The rows that failed, as uploaded, with an Error column first."""
    run.file.open("rb")
    try:
        book = reading.read(run.file.read(), run.file_name)
    finally:
        run.file.close()
    errors: dict[str, dict[int, list[str]]] = {}
    for problem in run.problems:
        text = (
            f"{problem['column']}: {problem['message']}"
            if problem["column"]
            else problem["message"]
        )
        errors.setdefault(problem["sheet"], {}).setdefault(problem["row"], []).append(text)
    wanted: dict[str, dict[int, str]] = {}
    for sheet, numbers in run.failing_rows.items():
        said = errors.get(sheet, {})
        wanted[sheet] = {
            n: "; ".join(said.get(n, [])) or _("Fails with its other rows.") for n in numbers
        }
    return writing.failing_xlsx(book, wanted)


def failing_name(run: ImportRun) -> str:
    stem = run.file_name.rsplit(".", 1)[0]
    return f"{stem} - {_('errors')}.xlsx"


# Undo --------------------------------------------------------------------------------------

# What goes with a record when it is deleted, and does not count as something that depends
# on it: its history, timeline, lines, shares, a supplier's contacts, its search entries.
BOOKKEEPING = {
    "search.entry", "search.entrycode",
    "customers.changerecord", "customers.maincontactchange", "customers.customershare",
    "registers.registerchange", "registers.suppliercontact", "sales.orderevent",
    "sales.orderline", "sales.quotationline", "registers.supplier_materials",
}  # fmt: skip


def undo(run: ImportRun, *, user) -> int:
    """Take an import back: delete the records it made (their codes stay used, cancelled)
    and put back the values it changed, unless something else depends on them by now."""
    if not run.undoable:
        raise ImportRefused(_("Only a finished import that changed something can be undone."))
    if run.user_id != user.pk and not user.is_administrator:
        raise PermissionDenied
    made = {}
    for change in run.changes:
        if change["action"] == "new":
            made.setdefault(sheets.get(change["kind"]).model._meta.label_lower, set()).add(
                change["pk"]
            )
    reason = _("import %(number)s undone") % {"number": run.pk}
    with transaction.atomic():
        for change in reversed(run.changes):
            kind = sheets.get(change["kind"])
            record = kind.model._base_manager.filter(pk=change["pk"]).first()
            if record is None:
                continue
            if change["action"] == "new":
                _delete(kind, record, made, reason, user)
            else:
                _restore(kind, record, change, user)
        ImportRun.objects.filter(pk=run.pk).update(
            stage=ImportRun.Stage.UNDONE, undone_at=timezone.now(), undone_by=user
        )
    run.refresh_from_db()
    return len(run.changes)


def _dependents(record, made) -> list:
    """What would go with `record` that this import did not make and is not its bookkeeping."""
    collector = Collector(using=record._state.db)
    try:
        collector.collect([record])
    except (models.ProtectedError, models.RestrictedError) as error:
        return list(getattr(error, "protected_objects", None) or error.restricted_objects)
    found = []
    for model, instances in collector.data.items():
        label = model._meta.label_lower
        if label in BOOKKEEPING:
            continue
        found += [i for i in instances if i.pk not in made.get(label, set())]
    for query in collector.fast_deletes:
        label = query.model._meta.label_lower
        if label not in BOOKKEEPING:
            found += [i for i in query if i.pk not in made.get(label, set())]
    return found


def _delete(kind, record, made, reason: str, user) -> None:
    others = _dependents(record, made)
    if others:
        other = others[0]
        raise ImportRefused(
            _("%(record)s cannot be taken back: %(what)s %(other)s depends on it now.")
            % {"record": getattr(record, "code", record), "what": other._meta.verbose_name,
               "other": getattr(other, "code", None) or other}
        )  # fmt: skip
    code = getattr(record, "code", "")
    try:
        kind.take_back(record, user, reason)
    except IllegalTransition as refused:
        raise ImportRefused(refused.message) from None
    if code and CodeEntry.objects.filter(code=code).exists():
        codes.cancel(code, user=user, reason=reason)


def _restore(kind, record, change: dict, user) -> None:
    if getattr(record, "version", change.get("version")) != change.get("version"):
        raise ImportRefused(
            _("%(code)s was changed after the import: it is not taken back.")
            % {"code": change.get("code")}
        )
    kind.restore(record, change, user)


# Exports -----------------------------------------------------------------------------------


def _records(kind, user, query):
    """The records of a kind's list `user` sees, filtered by `query` as its page filters it."""
    if not kind.may_export(user):
        raise PermissionDenied
    if kind.filter_form is not None:
        form = kind.filter_form(query or None)
        data = form.cleaned_data if form.is_valid() else {}
    else:
        data = {name: query.get(name, "") for name in query}
    return kind.filtered(user, data)


def _write(kind, records, fmt: str, *, progress=None, out=None):
    records = kind.for_export(records)
    if fmt == "csv":
        return writing.export_csv(kind, records, progress=progress, out=out)
    return writing.export_xlsx(kind, records, progress=progress, out=out)


def export(kind, user, query, fmt: str, *, progress=None) -> bytes:
    """A kind's list as `fmt`, filtered by `query` as its page filters it (its filter form),
    holding only what `user` may see."""
    return _write(kind, _records(kind, user, query), fmt, progress=progress)


def export_size(kind, user, query) -> int:
    """How many records the export of this list would write."""
    return _records(kind, user, query).count()


def exports_directly(kind, user, query) -> bool:
    """Whether the list is short enough to be written inside the request; a longer one is
    written in the background (start_export)."""
    return export_size(kind, user, query) <= settings.EXPORT_DIRECT_ROWS


def start_export(user, kind_name: str, query: str, fmt: str, *, enqueue=True) -> ExportRun:
    """Write a list to a file in the background, filtered as its page (`query`, its query
    string), holding what `user` may see when it runs."""
    kind = sheets.get(kind_name)
    if not kind.may_export(user):
        raise PermissionDenied
    if fmt not in writing.FORMATS:
        raise ValidationError({"format": [_("Choose xlsx or csv.")]})
    run = ExportRun.objects.create(
        user=user,
        kind=kind.name,
        fmt=fmt,
        query=query[:4000],
        file_name=writing.export_name(kind, fmt),
        language=translation.get_language() or "en",
    )
    if enqueue:
        from .tasks import run_export

        transaction.on_commit(lambda: run_export.enqueue(run.pk))
    return run


def delete_expired_exports(now=None) -> int:
    """Delete the files of the exports written more than settings.EXPORT_KEEP_DAYS days ago;
    their runs stay, marked expired. The number deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportRun.objects.filter(
        status=ExportRun.Status.DONE, expired_at=None, finished_at__lt=cutoff
    )
    deleted = 0
    for run in old.only("pk", "file"):
        if run.file:
            run.file.storage.delete(run.file.name)  # a file already gone is no error
        ExportRun.objects.filter(pk=run.pk).update(file="", expired_at=now)
        deleted += 1
    return deleted


def execute_export(run_id: int) -> dict:
    """The task: write the export's file, publishing the rows written as it goes (and first
    delete the files of the exports past their days)."""
    run = ExportRun.objects.select_related("user").get(pk=run_id)
    if not run.is_active:
        return {"status": run.status}
    delete_expired_exports()
    progress.started(run)
    publish = progress.Publisher(run)
    try:
        with translation.override(run.language):
            kind = sheets.get(run.kind)
            records = _records(kind, run.user, QueryDict(run.query))
            total = records.count()
            ExportRun.objects.filter(pk=run.pk).update(total=total)
            publish(done=0, total=total)
            with tempfile.TemporaryFile(dir=_scratch()) as out:
                _write(kind, records, run.fmt, out=out,
                       progress=lambda count: publish(done=count, total=total))  # fmt: skip
                out.seek(0, os.SEEK_END)
                size = out.tell()
                out.seek(0)
                run.file.save(f"{run.pk}-{run.file_name}", File(out), save=False)
        ExportRun.objects.filter(pk=run.pk).update(
            file=run.file.name, size=size, done=total, total=total,
            status=ExportRun.Status.DONE, finished_at=timezone.now(),
        )  # fmt: skip
        return {"rows": total, "size": size}
    except Exception as error:
        ExportRun.objects.filter(pk=run.pk).update(
            status=ExportRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    finally:
        publish.close()


def _scratch() -> str:
    folder = os.path.join(settings.DATA_DIR, "progress")
    os.makedirs(folder, exist_ok=True)
    return folder
