"""HTML to PDF, and the company's letterhead on every document the app prints.

The PDFs use Noto Sans CJK SC (Debian's fonts-noto-cjk) so Chinese and English text both
render as glyphs.
"""

import base64
import mimetypes
from pathlib import Path

from django.conf import settings


def render_pdf(html: str) -> bytes:
    """HTML to PDF with WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def logo_data_uri() -> str:
    """The configured logo inlined, or "" when none is configured or it cannot be read."""
    path = Path(settings.COMPANY_LOGO) if settings.COMPANY_LOGO else None
    if path is None or not path.is_file():
        return ""
    kind = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def letterhead() -> dict:
    return {
        "name": settings.COMPANY_NAME,
        "name_zh": settings.COMPANY_NAME_ZH,
        "address": settings.COMPANY_ADDRESS,
        "phone": settings.COMPANY_PHONE,
        "email": settings.COMPANY_EMAIL,
        "bank": settings.BANK_DETAILS,
        "logo": logo_data_uri(),
    }
