"""Labels as PDF: a QR code of `<site>/go/<code>`, a Code128 barcode of the code, the code in
large type, the part name and a line of description, on a roll or on an A4 sheet.

Renderers only: they turn labels into bytes and save nothing. The QR is drawn by segno, the
Code128 bars are encoded by python-barcode (start code, code sets, check digit) and drawn here
as one SVG that scales to the width it is given; both stay vectors in the PDF, so a thermal
printer prints every module sharp.
"""

import base64
import math
from dataclasses import dataclass

import segno
from barcode import Code128
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from tracecode.core.pdf import render_pdf

from .sources import Label

QUIET_MODULES = 10  # Code128 wants a quiet zone of ten modules on each side


@dataclass(frozen=True)
class Size:
    name: str
    title: str
    page: tuple[float, float]  # the page, mm
    label: tuple[float, float]  # one label, mm
    columns: int = 1
    rows: int = 1
    top: float = 0.0  # the sheet's margins, mm
    left: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def place(self, index: int) -> tuple[float, float]:
        """Where label `index` of a page sits: (left, top) in mm."""
        row, column = divmod(index, self.columns)
        return self.left + column * self.label[0], self.top + row * self.label[1]


SIZES = {
    "roll": Size("roll", _("60 × 40 mm roll label"), (60, 40), (60, 40)),
    # 24 labels of 70 × 37 mm without gaps (Avery 3474, Herma 4453 …): 8 rows are 296 mm.
    "a4": Size("a4", _("A4 sheet, 3 × 8 labels"), (210, 297), (70, 37), 3, 8, top=0.5),
}
DEFAULT_SIZE = "roll"


def qr_data_uri(text: str) -> str:
    """A QR code of `text` (error correction M: a scratched label still reads) as SVG."""
    return segno.make(text, error="m", micro=False).svg_data_uri(omitsize=True, border=0)


def code128_modules(code: str) -> str:
    """The bars of `code` as Code128 modules, "1" black, "0" white, quiet zones included."""
    bars = Code128(code, writer=None).build()[0]
    return "0" * QUIET_MODULES + bars + "0" * QUIET_MODULES


def code128_svg(code: str) -> str:
    """The Code128 barcode of `code` as an SVG that stretches to any box it is drawn in."""
    modules = code128_modules(code)
    rects, start = [], None
    for position, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = position
        elif module == "0" and start is not None:
            rects.append(f'<rect x="{start}" y="0" width="{position - start}" height="1"/>')
            start = None
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} 1" preserveAspectRatio="none"'
        ' shape-rendering="crispEdges"><g fill="#000">{rects}</g></svg>'
    ).format(w=len(modules), rects="".join(rects))


def code128_data_uri(code: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(code128_svg(code).encode()).decode()


def code_points(code: str, width_mm: float, largest: float = 16.0) -> float:
    """The largest type (pt) that fits `code` on one line `width_mm` wide."""
    em = width_mm / max(len(code), 1) / 0.62  # bold Latin and digits average 0.62 em
    return round(min(largest, em / 0.3528), 1)


def pages(labels: list[Label], size: Size, start: int = 1) -> list[list[dict]]:
    """The labels laid out on pages; on a sheet, the first `start - 1` places stay empty."""
    skip = min(max(start, 1), size.per_page) - 1 if size.per_page > 1 else 0
    placed, result = [], []
    for index, label in enumerate(labels, start=skip):
        left, top = size.place(index % size.per_page)
        placed.append({"label": label, "left": left, "top": top, "index": index})
    for page in range(math.ceil((len(labels) + skip) / size.per_page) if labels else 0):
        first, last = page * size.per_page, (page + 1) * size.per_page
        result.append([p for p in placed if first <= p["index"] < last])
    return result


PADDING, BARS, GAP = 2.0, 8.0, 1.5  # mm: around a label, the barcode's height, between parts


def geometry(size: Size) -> dict:
    """Where the parts of one label go, mm: the QR beside the text, the barcode below both."""
    width, height = size.label
    qr = min(height - 2 * PADDING - BARS - GAP, 22.0)
    return {
        "padding": PADDING,
        "qr": qr,
        "text_left": PADDING + qr + GAP,
        "text": width - 2 * PADDING - qr - GAP,
        "bars": BARS,
        "bars_width": width - 2 * PADDING,
        "top": height - 2 * PADDING - BARS - GAP,
    }


def labels_pdf(labels: list[Label], size: Size, *, go_url, start: int = 1) -> bytes:
    """The labels as a PDF; `go_url(code)` is the address the QR holds."""
    shape = geometry(size)
    sheet = [
        [
            {
                **place,
                "qr": qr_data_uri(go_url(place["label"].code)),
                "barcode": code128_data_uri(place["label"].code),
                "points": code_points(place["label"].code, shape["text"]),
            }
            for place in page
        ]
        for page in pages(labels, size, start)
    ]
    html = render_to_string("labels/sheet.html", {"size": size, "pages": sheet, "shape": shape})
    return render_pdf(html)
