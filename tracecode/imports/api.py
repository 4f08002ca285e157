"""Import and export over HTTP (router mounted at /api/imports/): the kinds and their columns,
templates, exports of every list, uploads previewed and imported in the background, the file
of failing rows, undo. The same services and permissions as the pages: an import one may not
see is 404.
"""

import datetime
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import Input, PageIn, answers
from tracecode.core.errors import ApiError

from . import forms, services, sheets, writing
from .models import ExportRun, ImportRun
from .writing import attachment

router = Router(tags=["imports"])


class ColumnOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    imported: bool


class LinesOut(Schema):
    label: str
    join: str
    columns: list[ColumnOut]


class KindOut(Schema):
    name: str
    label: str
    importable: bool
    may_import: bool
    columns: list[ColumnOut]
    lines: LinesOut | None
    template_url: str | None
    export_url: str


class RowProblemOut(Schema):
    sheet: str
    row: int
    column: str
    message: str


class SheetImportOut(Schema):
    id: int
    kind: str
    file_name: str
    user: str
    created_at: datetime.datetime
    stage: str
    status: str
    keep_good: bool
    committed: bool
    total: int
    done: int
    rows_per_second: float
    seconds_left: int | None
    new: int
    updated: int
    unchanged: int
    failed: int
    unknown_headers: dict[str, list[str]]
    problems: list[RowProblemOut]
    preview: list[dict]
    error: str
    undoable: bool
    url: str
    failing_rows_url: str | None


class ImportPage(Schema):
    items: list[SheetImportOut]
    count: int


class CommitIn(Input):
    keep_good: bool = False


class MappingIn(Input):
    mapping: dict[str, str]


class UndoneOut(Schema):
    id: int
    undone: int


def column_out(column: sheets.Column) -> dict:
    return {"key": column.key, "label": str(column.label), "type": column.type,
            "required": column.required, "imported": column.imported}  # fmt: skip


def kind_out(kind, user) -> dict:
    lines = None
    if kind.lines is not None:
        lines = {"label": str(kind.lines.label), "join": kind.lines.join.key,
                 "columns": [column_out(c) for c in kind.lines.columns]}  # fmt: skip
    return {
        "name": kind.name,
        "label": str(kind.label),
        "importable": kind.importable,
        "may_import": kind.may_import(user),
        "columns": [column_out(c) for c in kind.columns],
        "lines": lines,
        "template_url": f"/api/imports/kinds/{kind.name}/template" if kind.importable else None,
        "export_url": f"/api/imports/kinds/{kind.name}/export",
    }


def import_out(run: ImportRun) -> dict:
    run = run.live()
    left = run.time_left
    return {
        **{f: getattr(run, f) for f in ("id", "kind", "file_name", "created_at", "stage",
                                        "status", "keep_good", "committed", "total", "done",
                                        "new", "updated", "unchanged", "failed",
                                        "unknown_headers", "problems", "preview", "error",
                                        "undoable")},
        "user": run.user.get_username(),
        "rows_per_second": round(run.rate, 1),
        "seconds_left": int(left.total_seconds()) if left is not None else None,
        "url": reverse("imports:run", args=[run.pk]),
        "failing_rows_url": f"/api/imports/{run.pk}/failing" if run.failing_rows else None,
    }  # fmt: skip


def _kind(name: str, user):
    try:
        kind = sheets.get(name)
    except LookupError:
        raise Http404 from None
    if not kind.may_export(user):
        raise Http404
    return kind


def _run(request, import_id: int) -> ImportRun:
    return visible_or_404(ImportRun.objects.select_related("user"), request.user, pk=import_id)


def _own(request, import_id: int) -> ImportRun:
    """An import the user may see (404 otherwise) that is theirs to go on with (403)."""
    run = _run(request, import_id)
    if run.user_id != request.user.pk:
        raise PermissionDenied
    return run


def _refused(refused: services.ImportRefused):
    return ApiError(409, "refused", str(refused))


@router.get("/kinds", response=answers(list[KindOut]), summary="What can be imported and exported")
def list_kinds(request):
    return [kind_out(k, request.user) for k in sheets.kinds(request.user)]


@router.get(
    "/kinds/{sheet}/template",
    response=answers({200: None}, 404, 422),
    summary="A kind's template (.xlsx): its columns, instructions and drop-downs",
)
def template(request, sheet: str):
    kind = _kind(sheet, request.user)
    if not kind.importable:
        raise Http404
    return attachment(writing.template_xlsx(kind), f"{kind.name}-template.xlsx")


@router.get(
    "/kinds/{sheet}/export",
    response=answers({200: None}, 404, 409, 422),
    summary="A short list as .xlsx or CSV, filtered like its page (the page's filter parameters)",
)
def export(request, sheet: str, format: str = "xlsx"):
    """At most TRACECODE_EXPORT_DIRECT_ROWS rows (default 500); a longer list is 409: write it
    in the background with `POST /api/imports/exports`."""
    kind = _kind(sheet, request.user)
    if format not in writing.FORMATS:
        raise ValidationError({"format": ["Choose xlsx or csv."]})
    query = request.GET.copy()
    query.pop("format", None)
    size = services.export_size(kind, request.user, query)
    if size > settings.EXPORT_DIRECT_ROWS:
        raise ApiError(
            409, "too_long",
            f"{size} rows: write them in the background with POST /api/imports/exports.",
        )  # fmt: skip
    content = services.export(kind, request.user, query, format)
    return attachment(content, writing.export_name(kind, format), format)


class ExportIn(Input):
    kind: str
    format: Literal["xlsx", "csv"] = "xlsx"
    query: dict[str, str] = {}


class SheetExportOut(Schema):
    id: int
    kind: str
    format: str
    query: dict[str, str]
    created_at: datetime.datetime
    status: str
    total: int
    done: int
    percent: int
    rows_per_second: float
    seconds_left: int | None
    error: str
    file_name: str
    size: int
    expired: bool = Field(description="its file was deleted, TRACECODE_EXPORT_KEEP_DAYS after")
    url: str
    file_url: str | None


class ExportPage(Schema):
    items: list[SheetExportOut]
    count: int


def export_out(run: ExportRun) -> dict:
    run = run.live()
    left = run.time_left
    return {
        **{f: getattr(run, f) for f in ("id", "kind", "created_at", "status", "total", "done",
                                        "percent", "error", "file_name", "size", "expired")},
        "format": run.fmt,
        "query": dict(QueryDict(run.query).items()),
        "rows_per_second": round(run.rate, 1),
        "seconds_left": int(left.total_seconds()) if left is not None else None,
        "url": reverse("imports:export_run", args=[run.pk]),
        "file_url": f"/api/imports/exports/{run.pk}/file" if run.ready else None,
    }  # fmt: skip


@router.post(
    "/exports",
    response=answers({202: SheetExportOut}, 400, 404, 422),
    summary="Write a list to a file in the background (any length), filtered like its page",
)
def start_export(request, payload: ExportIn):
    """`query` holds the list page's filter parameters (`{"status": "3", "q": "steel"}`); the
    file holds what you may see. Poll `GET /exports/{id}` until `file_url` is given."""
    kind = _kind(payload.kind, request.user)
    run = services.start_export(request.user, kind.name, urlencode(payload.query), payload.format)
    return Status(202, export_out(run))


@router.get("/exports", response=answers(ExportPage, 422), summary="Your exports")
def list_exports(request, page: Query[PageIn]):
    runs = ExportRun.objects.visible_to(request.user)
    items = runs[page.offset : page.offset + page.limit]
    return {"items": [export_out(r) for r in items], "count": runs.count()}


@router.get(
    "/exports/{export_id}",
    response=answers(SheetExportOut, 404, 422),
    summary="An export: how far it got, then its file",
)
def get_export(request, export_id: int):
    return export_out(visible_or_404(ExportRun.objects.all(), request.user, pk=export_id))


@router.get(
    "/exports/{export_id}/file",
    response=answers({200: None}, 404, 409, 422),
    summary="An export's file, once written",
)
def export_file(request, export_id: int):
    run = visible_or_404(ExportRun.objects.all(), request.user, pk=export_id)
    if run.expired:
        raise ApiError(
            409,
            "expired",
            "The file was deleted "
            f"{settings.EXPORT_KEEP_DAYS} days after it was written: export again.",
        )
    if not run.ready:
        raise ApiError(409, "not_ready", "The file is not written yet: ask again later.")
    return attachment(run.file.open("rb"), run.file_name, run.fmt)


@router.get("/", response=answers(ImportPage, 422), summary="Imports: yours (administrators: all)")
def list_imports(request, page: Query[PageIn]):
    runs = ImportRun.objects.visible_to(request.user).select_related("user")
    items = runs[page.offset : page.offset + page.limit]
    return {"items": [import_out(r) for r in items], "count": runs.count()}


@router.post(
    "/",
    response=answers({202: SheetImportOut}, 400, 403, 404, 413, 422),
    summary="Upload a file to import: it is previewed (a dry run) in the background",
)
def start(
    request,
    kind: Form[str],
    file: File[UploadedFile],
    keep_good: Form[bool] = False,
    mapping: Form[str] = "",
):
    """Nothing is saved before `POST /{id}/import`. `mapping` (JSON: header → column key,
    "" to leave it out) tells once what headers the import does not know are; they are
    remembered for your next files of the kind."""
    user = request.user
    if not user.can_write:
        raise PermissionDenied
    form = forms.UploadForm({"kind": kind, "keep_good": keep_good}, {"file": file}, user=user)
    if not form.is_valid():
        if "kind" in form.errors and kind in {k.name for k in sheets.kinds()}:
            raise PermissionDenied
        raise ValidationError(form.errors.as_data())
    if mapping:
        services.remember(user, kind, _mapping(mapping))
    run = services.start(user, kind, form.cleaned_data["file"], keep_good=keep_good)
    return Status(202, import_out(run))


def _mapping(text: str) -> dict[str, str]:
    import json

    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError({"mapping": ['A JSON object: {"header": "column key", …}.']})
    return value


@router.get("/{import_id}", response=answers(SheetImportOut, 404, 422), summary="An import")
def get_import(request, import_id: int):
    """Its progress while it runs; then its counts, what fails (sheet, row, column, why) and
    the first rows as they will be (or were) saved."""
    return import_out(_run(request, import_id))


@router.post(
    "/{import_id}/mapping",
    response=answers({202: SheetImportOut}, 400, 403, 404, 409, 422),
    summary="Say what unknown headers are, then preview again",
)
def map_headers(request, import_id: int, payload: MappingIn):
    run = _own(request, import_id)
    services.remember(request.user, run.kind, payload.mapping)
    try:
        services.preview_again(run)
    except services.ImportRefused as refused:
        raise _refused(refused) from None
    return Status(202, import_out(run))


@router.post(
    "/{import_id}/import",
    response=answers({202: SheetImportOut}, 400, 403, 404, 409, 422),
    summary="Import a previewed file: all or nothing, or the good rows (keep_good)",
)
def commit(request, import_id: int, payload: CommitIn):
    run = _own(request, import_id)
    try:
        services.commit(run, keep_good=payload.keep_good or run.keep_good)
    except services.ImportRefused as refused:
        raise _refused(refused) from None
    return Status(202, import_out(run))


@router.post(
    "/{import_id}/undo",
    response=answers(UndoneOut, 403, 404, 409, 422),
    summary="Undo an import, while nothing else depends on what it made",
)
def undo(request, import_id: int):
    run = _run(request, import_id)
    try:
        count = services.undo(run, user=request.user)
    except services.ImportRefused as refused:
        raise _refused(refused) from None
    return {"id": run.pk, "undone": count}


@router.get(
    "/{import_id}/failing",
    response=answers({200: None}, 404, 422),
    summary="The failing rows as .xlsx, with an Error column, to fix and upload again",
)
def failing(request, import_id: int):
    run = _run(request, import_id)
    if not run.failing_rows:
        raise Http404
    return attachment(services.failing_file(run), services.failing_name(run))
