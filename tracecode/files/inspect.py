"""What an uploaded file really is, judged by its content, not by the name it came with.

A file whose name claims a type with a known signature (PDF, images, Office, DWG, archives)
must carry that signature; programs are refused; markup that a browser would run (HTML, SVG,
XML, scripts) is stored but never shown inline, whatever its name says.
"""

import mimetypes
import re
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import layout

HEAD_BYTES = 8192  # enough for every signature filetype knows

# A name ending so claims content with this signature (filetype's extension names).
CLAIMS = {
    ".pdf": {"pdf"},
    ".png": {"png", "apng"},
    ".jpg": {"jpg"},
    ".jpeg": {"jpg"},
    ".gif": {"gif"},
    ".webp": {"webp"},
    ".bmp": {"bmp"},
    ".tif": {"tif"},
    ".tiff": {"tif"},
    ".heic": {"heic"},
    ".dwg": {"dwg"},
    ".zip": {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"},
    ".docx": {"docx", "zip"},
    ".xlsx": {"xlsx", "zip"},
    ".pptx": {"pptx", "zip"},
    # The old Office formats share one container: any of them is the right kind of file.
    ".doc": {"doc", "xls", "ppt"},
    ".xls": {"doc", "xls", "ppt"},
    ".ppt": {"doc", "xls", "ppt"},
    ".7z": {"7z"},
    ".rar": {"rar"},
    ".gz": {"gz"},
    ".mp4": {"mp4", "m4v", "mov"},
    ".mov": {"mov", "mp4"},
}
TEXT = {".txt", ".csv", ".tsv", ".md", ".log"}
PROGRAMS = {".exe", ".dll", ".msi", ".bat", ".cmd", ".com", ".scr", ".ps1", ".vbs", ".jar"}
PROGRAMS |= {".apk", ".sh", ".app", ".deb", ".rpm", ".elf", ".lnk", ".pif", ".cpl", ".hta"}
PROGRAM_KINDS = {"exe", "elf", "deb", "rpm", "crx", "swf", "wasm"}
ACTIVE = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".js", ".mjs"}
ACTIVE_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|svg|script|\?xml|iframe|object)\b", re.I)
INLINE_KINDS = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class Inspection:
    content_type: str
    extension: str  # what the stored file's name ends with
    inline: bool  # safe to show in the browser


def limit_bytes() -> int:
    from django.conf import settings

    return settings.FILES_MAX_UPLOAD_BYTES


def refuse(message: str):
    raise ValidationError({"file": [message]})


def check_size(name: str, size: int) -> None:
    if size <= 0:
        refuse(_("“%(name)s” is empty.") % {"name": name})
    if size > limit_bytes():
        refuse(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit_bytes())}
        )


def inspect(name: str, head: bytes, size: int) -> Inspection:
    """Judge a file by its first bytes; a ValidationError says why it is refused."""
    check_size(name, size)
    ext = layout.extension(name)
    found = filetype.guess(head[:HEAD_BYTES])
    kind = found.extension if found else ""
    if ext in PROGRAMS or kind in PROGRAM_KINDS or head.startswith((b"MZ", b"#!")):
        refuse(_("“%(name)s” is a program or script; those are not accepted.") % {"name": name})
    if ext in CLAIMS and kind not in CLAIMS[ext]:
        refuse(
            _("“%(name)s” is not a %(claimed)s file: its content is %(found)s.")
            % {
                "name": name,
                "claimed": ext[1:].upper(),
                "found": kind.upper() if kind else _("not a known file type"),
            }
        )
    if ext in TEXT and b"\x00" in head:
        refuse(_("“%(name)s” is not a text file: it holds binary data.") % {"name": name})
    if not ext and kind:
        ext = f".{kind}"
    content_type = (
        found.mime if found else mimetypes.guess_type(f"x{ext}")[0] or "application/octet-stream"
    )
    active = ext in ACTIVE or bool(ACTIVE_MARKUP.search(head[:1024]))
    return Inspection(content_type, ext, inline=content_type in INLINE_KINDS and not active)
