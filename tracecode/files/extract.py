"""The text inside an uploaded file, for the search index: PDF, xlsx, docx and plain text."""

import io
import logging
import zipfile

log = logging.getLogger(__name__)

LIMIT = 200_000  # characters kept per file: the index keeps no more


def extract_text(name: str, data: bytes) -> str:
    """The readable text of a file, or "" when there is none or it cannot be read."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = READERS.get(suffix)
    if reader is None:
        return ""
    try:
        return reader(data)[:LIMIT]
    except Exception as error:  # a damaged upload must never break saving or indexing it
        log.info("no text extracted from %s: %s", name, error)
        return ""


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = (
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    return " ".join(cells)


def _docx(data: bytes) -> str:
    from docx import Document

    if not zipfile.is_zipfile(io.BytesIO(data)):
        return ""
    document = Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _txt(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


READERS = {"pdf": _pdf, "xlsx": _xlsx, "docx": _docx, "txt": _txt, "csv": _txt}
