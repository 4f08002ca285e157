"""The label of a filed file: a drawing revision to stick on the paper copy in the workshop.

Registered from FilesConfig.ready(); the label sheet itself is tracecode/labels.
"""

from django.utils.translation import gettext_lazy as _

from tracecode.labels import sources
from tracecode.labels.sources import Label, both_languages

from . import layout
from .models import StoredFile


def file_label(stored: StoredFile) -> Label:
    """`RK1038-1 · Drawing 图纸 v2`, the file's description or original name, its name and date."""
    kind = both_languages(dict(layout.UPLOAD_TYPES + layout.GENERATED_TYPES).get(
        stored.document_type, stored.document_type
    ))  # fmt: skip
    return Label(
        code=stored.code,
        title=stored.description or stored.original_name,
        mark=f"{kind} v{stored.version}",
        description=f"{stored.stored_name} · {stored.uploaded_at:%Y-%m-%d}",
    )


def register() -> None:
    sources.register(
        sources.Source(
            "file", "file", _("File label"), labels=sources.copies(file_label),
            count_label=_("Copies"),
        )
    )  # fmt: skip
