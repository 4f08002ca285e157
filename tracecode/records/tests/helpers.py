from django.core.files.uploadedfile import SimpleUploadedFile

# A PDF as far as the upload check is concerned, with no text to extract: cheap to file.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def upload(name: str, data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
