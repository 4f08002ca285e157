"""Filing uploads: checked by content, named by the framework, versioned, never overwritten."""

import hashlib
import mimetypes
import posixpath
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.accounts.visibility import editable_or_404, visible_or_404
from tracecode.codes import registry

from . import layout
from .extract import READERS, extract_text
from .folders import folder_of
from .inspect import HEAD_BYTES, inspect
from .models import StoredFile

EXTRACT_BYTES = 50 * 1024 * 1024  # larger files are filed but their text is not read
SAFE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}


def level_of(record) -> str:
    """The registered kind of a record files are filed under: `customer`, `project`, `order` …"""
    kind = registry.kind_of_model(type(record))
    if kind is None:
        raise LookupError(f"{type(record).__name__} is not a registered kind")
    return kind.name


def customer_of(record):
    """The customer a record of a registered kind belongs to."""
    found = registry.Found(registry.kind_of_model(type(record)), record)
    return registry.chain(found)[0].record


def original_name(name: str) -> str:
    """The name as the user's computer called it, without folders or invisible characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = " ".join(name.split())
    return name[:255] if name.strip(". ") else ""


def _read(upload) -> tuple[bytes, str, int]:
    """The first bytes, the SHA-256 and the size of an uploaded file, read once."""
    digest, head, size = hashlib.sha256(), b"", 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        size += len(chunk)
    upload.seek(0)
    return head, digest.hexdigest(), size


def _text(ext: str, upload, size: int) -> str:
    if ext[1:] not in READERS or size > EXTRACT_BYTES:
        return ""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return extract_text(f"file{ext}", data)


def _free_path(folder: str, name: str) -> str:
    """`folder/name`, or `folder/stem (2).ext` when another file already has that name."""
    stem, ext = posixpath.splitext(name)
    path, number = f"{folder}/{name}", 1
    while default_storage.exists(path) or StoredFile.objects.filter(file=path).exists():
        number += 1
        path = f"{folder}/{stem} ({number}){ext}"
    return path


def store(record, upload, *, user=None, document_type="", description="", date=None):
    """File `upload` under `record` (a customer, project or order) and return the StoredFile.

    Refused with a ValidationError naming the file when it is empty, too large, a program,
    or not what its name claims. Its text is extracted now, so search finds words inside it.
    `date` (default today) is the date in its name. The same content already filed under the
    record is not stored again: that file comes back, with `already_filed` set.
    """
    given = upload.name or ""
    name = original_name(given)
    if not name:
        raise ValidationError({"file": [_("“%(name)s” is not a file name.") % {"name": given}]})
    document_type = document_type or layout.DEFAULT_TYPE.get(level_of(record), "Other")
    if document_type not in dict(layout.FILED_TYPES):
        raise ValidationError(
            {"document_type": [_("“%(type)s” is not a document type.") % {"type": document_type}]}
        )
    head, sha256, size = _read(upload)
    same = StoredFile.objects.filter(code=record.code, sha256=sha256).order_by("pk").first()
    if same is not None:
        same.already_filed = True
        return same
    found = inspect(name, head, size)
    text = _text(found.extension, upload, size)
    customer = customer_of(record)
    folder = f"{folder_of(record)}/{document_type}"
    series = name.casefold()
    for attempt in range(3):  # two people filing the same name at once: the later one is v+1
        saved = None
        try:
            with transaction.atomic():
                latest = StoredFile.objects.filter(
                    code=record.code, document_type=document_type, series=series
                ).aggregate(Max("version"))["version__max"]
                version = (latest or 0) + 1
                filename = layout.file_name(
                    record.code,
                    document_type,
                    date or timezone.localdate(),
                    version,
                    found.extension,
                )
                saved = default_storage.save(_free_path(folder, filename), upload)
                return StoredFile.objects.create(
                    customer=customer,
                    code=record.code,
                    document_type=document_type,
                    original_name=name,
                    series=series,
                    version=version,
                    file=saved,
                    size=size,
                    sha256=sha256,
                    content_type=found.content_type,
                    inline=found.inline,
                    text=text,
                    description=description[:200],
                    uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except BaseException as error:
            if saved:
                default_storage.delete(saved)
            if not isinstance(error, IntegrityError) or attempt == 2:
                raise
    raise AssertionError("unreachable")


def adopt(
    code: str,
    customer,
    name: str,
    *,
    shown_name: str,
    document_type: str = "Mails",
    description: str = "",
    text: str = "",
    user=None,
):
    """File a file already in storage (a mail's attachment) under `code`, without a copy.

    The StoredFile points at the same storage name, so the record's Files panel, the files
    API, search and the folder .zip show the one file there is. A name already filed is
    returned as it is (one record per stored file); a file refused as an upload would be (a
    program, empty, not what its name claims, gone from storage) is not adopted: None.
    """
    found = StoredFile.objects.filter(file=name).first()
    if found is not None:
        return found
    digest, head, size = hashlib.sha256(), b"", 0
    try:
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                size += len(chunk)
    except OSError:
        return None
    shown = original_name(shown_name) or name.rsplit("/", 1)[-1]
    try:
        found_type = inspect(shown, head, size)
    except ValidationError:
        return None
    series = shown.casefold()
    for attempt in range(3):  # two filings of the same name at once: the later one is v+1
        try:
            with transaction.atomic():
                if StoredFile.objects.filter(file=name).exists():
                    return StoredFile.objects.get(file=name)
                latest = StoredFile.objects.filter(
                    code=code, document_type=document_type, series=series
                ).aggregate(Max("version"))["version__max"]
                return StoredFile.objects.create(
                    customer=customer,
                    code=code,
                    document_type=document_type,
                    original_name=shown,
                    series=series,
                    version=(latest or 0) + 1,
                    file=name,
                    size=size,
                    sha256=digest.hexdigest(),
                    content_type=found_type.content_type,
                    inline=found_type.inline,
                    text=text,
                    description=description[:200],
                    uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def store_many(record, uploads, *, user=None, document_type="", description=""):
    """Store every upload under `record`; one refusal never stops the others.

    Returns the StoredFiles and, for each refused upload, its name and the reasons.
    """
    stored, refused = [], []
    for upload in uploads:
        try:
            stored.append(
                store(
                    record, upload, user=user, document_type=document_type, description=description
                )
            )
        except ValidationError as error:
            refused.append({"name": upload.name or "", "messages": error.messages})
    return stored, refused


def risky(content_type: str) -> bool:
    """A type a browser would render or run: text/html, image/svg+xml, application/rss+xml,
    text/javascript … (never served as such, whatever the file claims to be)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind.endswith("xml") or any(w in kind for w in ("html", "svg", "javascript"))


def response(field_file, name: str, *, content_type: str = "", inline: bool = False):
    """A stored file for the browser: an attachment unless the caller vetted it for inline.

    Markup a browser would run (HTML, SVG, XML, scripts) goes out as plain bytes, and every
    answer forbids scripts and sniffing, whatever the file claims to be.
    """
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if risky(kind) or kind.startswith("text/") and not inline:
        kind = "application/octet-stream"
    answer = FileResponse(handle, as_attachment=not inline, filename=name, content_type=kind)
    for header, value in SAFE_HEADERS.items():
        answer[header] = value
    return answer


def versions_by_series(files) -> list[list[StoredFile]]:
    """Files grouped into their version series, newest version first in each."""
    groups: dict[tuple, list] = {}
    for stored in files:
        groups.setdefault((stored.document_type, stored.series), []).append(stored)
    for group in groups.values():
        group.sort(key=lambda f: -f.version)
    newest_first = sorted(groups.values(), key=lambda g: g[0].uploaded_at, reverse=True)
    return sorted(newest_first, key=lambda g: g[0].document_type)


def record_for(user, code: str, *, edit: bool = False):
    """The record `code` names (any registered kind under a customer): 404 unseen or without
    a customer's folder (a material, a supplier), 403 seen but read-only."""
    found = registry.find(code, user)
    if found is None or registry.chain(found)[0].kind.name != registry.ROOT:
        raise Http404
    lookup = editable_or_404 if edit else visible_or_404
    return lookup(found.kind.queryset(), user, pk=found.record.pk)


def files_under(record, user):
    """The files filed directly under `record` that `user` may see."""
    return (
        StoredFile.objects.visible_to(user).filter(code=record.code).select_related("uploaded_by")
    )
