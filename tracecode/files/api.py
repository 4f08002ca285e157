"""The client folder framework over HTTP: list, upload, download, and a folder as .zip."""

import datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from tracecode.accounts.visibility import visible_or_404
from tracecode.core.api import ErrorOut, answers

from . import services, tree
from .models import StoredFile

router = Router(tags=["files"])


class StoredFileOut(Schema):
    id: int
    code: str
    document_type: str
    name: str
    path: str
    original_name: str
    version: int
    size: int
    sha256: str
    content_type: str
    description: str
    uploaded_at: datetime.datetime
    url: str
    already_filed: bool = False  # an upload whose content was filed already: not stored again

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.stored_name

    @staticmethod
    def resolve_path(obj) -> str:
        return obj.file.name

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/files/{obj.pk}"


class Refusal(Schema):
    name: str
    messages: list[str]


class UploadOut(Schema):
    stored: list[StoredFileOut]
    refused: list[Refusal]


@router.get(
    "/of/{code}",
    response=answers(list[StoredFileOut], 404, 422),
    summary="Files filed under a code",
)
def list_files(request, code: str):
    """Every version of every file filed directly under a customer, project or order."""
    return list(services.files_under(services.record_for(request.user, code), request.user))


@router.post(
    "/of/{code}",
    response={**answers({201: UploadOut}, 400, 403, 404, 413), 422: UploadOut | ErrorOut},
    summary="Upload files under a code",
)
def upload(
    request,
    code: str,
    file: File[list[UploadedFile]],
    document_type: Form[str] = "",
    description: Form[str] = "",
):
    """Files several uploads under a customer, project or order, named by the framework.

    One refused file (empty, too large, a program, not what its name says) does not stop the
    others: the answer lists what was stored and what was refused, with 422 if anything was.
    A file whose content is already filed under the code is not stored again: the answer
    gives the file there is, with `already_filed`.
    """
    record = services.record_for(request.user, code, edit=True)
    stored, refused = services.store_many(
        record, file, user=request.user, document_type=document_type, description=description
    )
    return Status(422 if refused else 201, {"stored": stored, "refused": refused})


@router.get("/of/{code}/zip", response=answers({200: None}, 404, 422), summary="A folder as .zip")
def folder_zip(request, code: str):
    """The whole tree of a customer, project or order, with the generated PI/CI/PL and the
    customer information sheet, laid out as the client folder framework."""
    return tree.zip_response(services.record_for(request.user, code))


@router.get("/{file_id}", response=answers({200: None}, 404, 422), summary="Download a file")
def download(request, file_id: int):
    stored = visible_or_404(StoredFile.objects, request.user, pk=file_id)
    return services.response(stored.file, stored.stored_name, content_type=stored.content_type)
