"""Mail and chat parsing for Tracecode's mail app: plain Python, no Django.

Guarantees: `parse_message` never raises; a mail is read as far as it goes and `problems` says
what was not as declared (charset, transfer encoding, MIME structure, missing headers). A mail
without Message-ID gets `<sha256-of-its-bytes@tracecode>`, so the same bytes always get the same
id. `iter_mbox` streams (memory holds one message) and yields every message, a bad one as an item
with `error`. `parse_whatsapp` reads Android and iPhone exports or raises `ChatFormatError` naming
the line; `WhatsAppArchive` (and `read_whatsapp_zip`, in memory) refuses zip bombs, unpacks no
more than allowed, refuses names that leave the archive's folder and streams media files.
"""

from .charsets import Decoded, decode_bytes
from .filenames import safe_filename
from .headers import Address
from .htmltext import html_to_text
from .mbox import EmlItem, MboxItem, iter_eml_paths, iter_mbox
from .message import (
    Attachment,
    ParsedMail,
    looks_like_mail,
    parse_message,
    synthetic_message_id,
)
from .whatsapp import ORDERS, ChatExport, ChatFormatError, ChatMessage, message_keys, parse_whatsapp
from .whatsapp_zip import (
    ArchiveTooLargeError,
    ChatArchiveError,
    WhatsAppArchive,
    ZipBombError,
    read_whatsapp_zip,
)

__all__ = [
    "Address",
    "ArchiveTooLargeError",
    "Attachment",
    "ChatArchiveError",
    "ChatExport",
    "ChatFormatError",
    "ChatMessage",
    "ORDERS",
    "Decoded",
    "EmlItem",
    "MboxItem",
    "ParsedMail",
    "WhatsAppArchive",
    "ZipBombError",
    "decode_bytes",
    "html_to_text",
    "iter_eml_paths",
    "iter_mbox",
    "looks_like_mail",
    "message_keys",
    "parse_message",
    "parse_whatsapp",
    "read_whatsapp_zip",
    "safe_filename",
    "synthetic_message_id",
]
