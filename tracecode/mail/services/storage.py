"""Where mails and chat media are kept: the client folder of their first code, else Unfiled."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tracecode.files.folders import folder_of_code

from .. import parsing

UNFILED_FOLDER = "Unfiled"
SUBJECT_IN_NAME = 80  # characters of the subject kept in a stored file's name


def folder_for(
    code: str | None, customer_code: str | None, kind: str = "Mails", cache: dict | None = None
) -> str:
    """`<record's folder>/Mails` in the client folder framework: `RK1038 Acme Ltd/RK1038-1
    SP1003/RK1038-1-S1/Mails`; a code of no record (a contact's) files under its customer.
    `cache` (an import's) remembers the folders already looked up: they never move."""
    key = ("folder", code, customer_code)
    if cache is not None and key in cache:
        return f"{cache[key]}/{kind}"
    folder = None
    if code and customer_code:
        folder = folder_of_code(code) or folder_of_code(customer_code)
    folder = folder or UNFILED_FOLDER
    if cache is not None:
        cache[key] = folder
    return f"{folder}/{kind}"


def mail_file_name(date: datetime.datetime, subject: str) -> str:
    subject = parsing.safe_filename(subject[:SUBJECT_IN_NAME], "no subject")
    return f"{timezone.localtime(date):%Y-%m-%d} {subject}.eml"


def _save(folder: str, name: str, data: bytes) -> str:
    return default_storage.save(
        f"{folder}/{parsing.safe_filename(name, 'file')}", ContentFile(data)
    )


def _move(name: str, folder: str) -> str:
    if not name or not name.startswith(f"{UNFILED_FOLDER}/"):
        return name
    with default_storage.open(name, "rb") as f:
        new = _save(folder, name.rsplit("/", 1)[-1], f.read())
    default_storage.delete(name)
    return new


def _clean(text: str, limit: int | None = None) -> str:
    """Text as a database keeps it: PostgreSQL refuses NUL characters."""
    text = (text or "").replace("\x00", "")
    return text[:limit] if limit else text
