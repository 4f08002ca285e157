from django.core.files.uploadedfile import SimpleUploadedFile

from tracecode.core.pdf import render_pdf


def pdf(text: str = "General tolerances ISO 2768-mK") -> bytes:
    return render_pdf(f"<html><body><p>{text}</p></body></html>")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
