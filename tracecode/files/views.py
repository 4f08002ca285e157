"""Uploading into the client folder framework, downloading, and the tree as a .zip."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404

from . import services, tree
from .inspect import limit_bytes
from .models import StoredFile


def _errors_of(error: ValidationError) -> list[str]:
    return error.messages


def store_all(request, record) -> tuple[list[StoredFile], list[str]]:
    """Store every file of the request under `record`; one refusal never stops the others."""
    uploads = request.FILES.getlist("file")
    if not uploads:
        return [], [_("Choose at least one file.")]
    stored, errors = [], []
    for upload in uploads:
        try:
            stored.append(
                services.store(
                    record,
                    upload,
                    user=request.user,
                    document_type=request.POST.get("document_type", ""),
                    description=request.POST.get("description", ""),
                )
            )
        except ValidationError as error:
            errors.extend(_errors_of(error))
    return stored, errors


@login_required
@require_POST
def upload(request, code: str):
    record = services.record_for(request.user, code, edit=True)
    stored, errors = store_all(request, record)
    if request.headers.get("X-Requested-With") == "fetch":
        body = {
            "stored": [{"name": f.stored_name, "url": f.get_absolute_url()} for f in stored],
            "errors": errors,
        }
        return JsonResponse(body, status=422 if errors else 200)
    for f in stored:
        messages.success(
            request,
            _("%(original)s filed as %(name)s.")
            % {"original": f.original_name, "name": f.stored_name},
        )
    for error in errors:
        messages.error(request, error)
    return redirect(record.get_absolute_url())


@login_required
def file_list(request, code: str):
    """The list part of a record's files panel, for htmx to refresh after an upload."""
    record = services.record_for(request.user, code)
    return render(request, "files/_list.html", panel_context(request, record))


@login_required
def download(request, pk: int):
    stored = visible_or_404(StoredFile.objects, request.user, pk=pk)
    return services.response(stored.file, stored.stored_name, content_type=stored.content_type)


@login_required
def view(request, pk: int):
    """Shown in the browser when it is a PDF or a picture; anything else is downloaded."""
    stored = visible_or_404(StoredFile.objects, request.user, pk=pk)
    return services.response(
        stored.file, stored.stored_name, content_type=stored.content_type, inline=stored.inline
    )


@login_required
def folder_zip(request, code: str):
    """A customer's, project's or order's whole folder as a .zip, laid out as on disk."""
    record = services.record_for(request.user, code)
    return FileResponse(
        tree.zip_file(record),
        as_attachment=True,
        filename=tree.zip_name(record),
        content_type="application/zip",
    )


def panel_context(request, record) -> dict:
    from . import layout

    user = request.user
    level = services.level_of(record)
    files = services.files_under(record, user)
    return {
        "record": record,
        "series": services.versions_by_series(files),
        "can_edit": record.__class__.objects.editable_by(user).filter(pk=record.pk).exists(),
        "types": layout.UPLOAD_TYPES,
        "default_type": layout.DEFAULT_TYPE[level],
        "max_bytes": limit_bytes(),
        "zip": level in ("customer", "project", "order"),
        "request": request,
    }
