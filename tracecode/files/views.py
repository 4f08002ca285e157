"""Uploading into the client folder framework, downloading, and the tree as a .zip."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tracecode.accounts.visibility import visible_or_404

from . import services, tree
from .inspect import limit_bytes
from .models import StoredFile


@login_required
@require_POST
def upload(request, code: str):
    record = services.record_for(request.user, code, edit=True)
    stored, refused = services.store_many(
        record,
        request.FILES.getlist("file"),
        user=request.user,
        document_type=request.POST.get("document_type", ""),
        description=request.POST.get("description", ""),
    )
    errors = [message for refusal in refused for message in refusal["messages"]]
    if not stored and not refused:
        errors = [_("Choose at least one file.")]
    if request.headers.get("X-Requested-With") == "fetch":
        body = {
            "stored": [
                {
                    "name": f.stored_name,
                    "url": f.get_absolute_url(),
                    "already_filed": f.already_filed,
                    "message": _already(f),
                }
                for f in stored
            ],  # fmt: skip
            "errors": errors,
        }
        return JsonResponse(body, status=422 if errors else 200)
    for f in stored:
        if f.already_filed:
            messages.info(request, _already(f))
            continue
        messages.success(
            request,
            _("%(original)s filed as %(name)s.")
            % {"original": f.original_name, "name": f.stored_name},
        )
    for error in errors:
        messages.error(request, error)
    return redirect(record.get_absolute_url())


def _already(stored) -> str:
    """What the user is told when the content they uploaded was already filed."""
    if not stored.already_filed:
        return ""
    return _("This file is already filed as %(name)s: the same content is not stored twice.") % {
        "name": stored.stored_name
    }


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
    return tree.zip_response(services.record_for(request.user, code))


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
        "default_type": layout.DEFAULT_TYPE.get(level, "Other"),
        "max_bytes": limit_bytes(),
        "request": request,
    }
