"""The client folder framework: where every file of a customer lives and what it is called.

    RK1038 Acme Ltd/                                   customer: contracts, NDA, information sheet
      Contract/RK1038 Contract 2026-11-22.pdf
      RK1038-1 SP1003 bracket/                         project: drawings, quotations
        Drawing/RK1038-1 Drawing 2026-11-22.pdf
        Drawing/RK1038-1 Drawing 2026-11-23 v2.pdf     a second version of the same drawing
        RK1038-1-S1/                                   order: PI, CI, PL, mails …
          PI/RK1038-1-S1 PI 2026-11-22.pdf
          Mails/2026-11-22 [RK1038-1-S1] samples.eml

A folder is named `<code> <name>` once, the first time something is filed in it, and keeps
that name and place (a `Folder` row): renaming the company later does not scatter its files over two
folders. Every part is safe on Windows, macOS and Linux: no reserved characters or names,
no control or direction-changing characters, no trailing dots or spaces, a bounded length.
"""

import datetime
import posixpath
import unicodedata

from django.utils.translation import gettext_lazy as _
from pathvalidate import sanitize_filename

SEGMENT_CHARS = 60  # a folder part: short enough that a whole path stays under Windows' 260
NAME_CHARS = 120  # a file name

# Folders of files people file by hand (the value is the folder's name on disk, in English so
# the tree is the same whatever language the uploader uses), then the ones the app fills.
UPLOAD_TYPES = [
    ("Drawing", _("drawing")),
    ("Specification", _("specification")),
    ("Photo", _("photo")),
    ("Contract", _("contract")),
    ("NDA", _("NDA")),
    ("Purchase order", _("purchase order")),
    ("QC report", _("QC report")),
    ("Shipping", _("shipping document")),
    ("Payment", _("payment receipt")),
    ("Complaint", _("complaint evidence")),
    ("Other", _("other")),
]
GENERATED_TYPES = [
    ("Information sheet", _("information sheet")),
    ("Quotation", _("quotation")),
    ("PI", _("proforma invoice (PI)")),
    ("CI", _("commercial invoice (CI)")),
    ("PL", _("packing list (PL)")),
    ("Mails", _("mails")),
]
# What a file may be filed as (uploads, the API, the watched folder): the types people file by
# hand, and received copies of the trade documents (a countersigned PI, a forwarder's PL).
FILED_TYPES = UPLOAD_TYPES + [t for t in GENERATED_TYPES if t[0] in ("PI", "CI", "PL")]
# What an upload is filed as unless the user says otherwise, by the level it is filed at.
DEFAULT_TYPE = {
    "customer": "Contract",
    "project": "Drawing",
    "order": "Purchase order",
    "part": "Drawing",
}


def safe_name(name: str, fallback: str = "file", limit: int = NAME_CHARS) -> str:
    """`name` as one file or folder name that every operating system accepts."""
    name = unicodedata.normalize("NFC", str(name or ""))
    # Cf: format characters such as U+202E, which can make "gpj.exe" look like "exe.jpg".
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            name = stem[: limit - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:limit]
    # Replaces what Windows, macOS or Linux refuse (one character for one) and reserved names.
    name = sanitize_filename(name, platform="universal", replacement_text="_").strip(" .")
    if not name or name in (".", ".."):
        return fallback
    return name


def folder(code: str, name: str = "", parent=None) -> str:
    """The folder path of the record `code`: `RK1038 Acme Ltd/RK1038-1 SP1003`.

    Fixed the first time it is asked for (a `Folder` row), so it costs one lookup after that
    and never moves. `parent` is a callable giving the parent's folder, called only then.
    """
    from .models import Folder

    known = Folder.objects.filter(code=code).values_list("path", flat=True).first()
    if known is not None:
        return known
    part = safe_name(f"{code} {name}".strip(), fallback=safe_name(code), limit=SEGMENT_CHARS)
    path = f"{parent()}/{part}" if parent else part
    row, _created = Folder.objects.get_or_create(code=code, defaults={"name": part, "path": path})
    return row.path


def extension(name: str) -> str:
    """`.pdf` for `Drawing.PDF`; "" when there is none worth keeping."""
    suffix = posixpath.splitext(name or "")[1].lower()
    if not 1 < len(suffix) <= 11 or not suffix[1:].isalnum():
        return ""
    return suffix


def file_name(code: str, document_type: str, date: datetime.date, version: int, ext: str) -> str:
    """`RK1038-1 Drawing 2026-11-22 v2.pdf` (no `v1` on the first version)."""
    stem = f"{code} {document_type} {date:%Y-%m-%d}" + (f" v{version}" if version > 1 else "")
    return safe_name(stem + ext)


def type_label(document_type: str) -> str:
    return dict(UPLOAD_TYPES + GENERATED_TYPES).get(document_type, document_type)
