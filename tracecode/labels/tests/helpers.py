"""Reading printed labels back as a scanner does: the PDF rendered to pixels, then decoded."""

import io

import pypdfium2
import zxingcpp


def decoded(pdf: bytes, dpi: int = 300) -> list[list[tuple[str, str]]]:
    """Every barcode on every page, as (format, text) pairs, page by page."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    pages = []
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        found = zxingcpp.read_barcodes(image)
        pages.append(sorted((b.format.name, b.text) for b in found))
    return pages


def page_count(pdf: bytes) -> int:
    return len(pypdfium2.PdfDocument(io.BytesIO(pdf)))


def page_text(pdf: bytes, number: int = 0) -> str:
    """The words on one page, one space between them (lines wrap where the label ends)."""
    text = pypdfium2.PdfDocument(io.BytesIO(pdf))[number].get_textpage().get_text_range()
    return " ".join(text.split())
