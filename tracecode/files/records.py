"""Filed uploads in the record registry: how a file shows on a page and what search holds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row

from .models import StoredFile


def _url(stored: StoredFile) -> str:
    # A PDF or picture opens in the browser; anything else downloads.
    return reverse("files:view" if stored.inline else "files:download", args=[stored.pk])


def file_row(stored: StoredFile) -> Row:
    details = [str(stored.type_label)]
    if stored.version > 1:
        details.append(f"v{stored.version}")
    if stored.original_name != stored.stored_name:
        details.append(stored.original_name)
    return Row(
        title=stored.stored_name,
        url=_url(stored),
        code=stored.code,
        date=stored.uploaded_at,
        badge=_("file"),
        details=details,
        links=[(_("download"), reverse("files:download", args=[stored.pk]))],
    )


def file_entries(stored: StoredFile):
    yield {
        "kind": "file",
        "title": f"{stored.stored_name} ({stored.original_name})",
        "code": stored.code,
        "text": " ".join([stored.description, stored.original_name, stored.text]),
        "customer": stored.customer_id,
        "url": _url(stored),
        "date": stored.uploaded_at,
        "parents": registry.lineage_of_code(stored.code)[:-1],
    }


def stored_files(customer):
    return StoredFile.objects.filter(customer=customer).values_list("file", flat=True)


def register() -> None:
    registry.register(
        registry.Filed(
            "file", StoredFile, _("Files"), position=70, code_path="code",
            date="uploaded_at", row=file_row, entries=file_entries, files=stored_files,
        )
    )  # fmt: skip
