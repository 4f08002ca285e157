"""Project files uploaded before the client folder framework become StoredFiles."""

import mimetypes

from django.db import migrations

TYPES = {"drawing": "Drawing", "specification": "Specification", "photo": "Photo"}


def forwards(apps, schema_editor):
    ProjectFile = apps.get_model("sales", "ProjectFile")
    StoredFile = apps.get_model("files", "StoredFile")
    versions: dict[tuple, int] = {}
    for old in ProjectFile.objects.select_related("project").order_by("uploaded_at", "pk"):
        document_type = TYPES.get(old.kind, "Other")
        key = (old.project.code, document_type, old.name.casefold())
        versions[key] = versions.get(key, 0) + 1
        StoredFile.objects.create(
            customer_id=old.project.customer_id,
            code=old.project.code,
            document_type=document_type,
            original_name=old.name,
            series=old.name.casefold(),
            version=versions[key],
            file=old.file.name,
            size=old.size,
            sha256="",
            content_type=mimetypes.guess_type(old.name)[0] or "application/octet-stream",
            inline=False,
            description=old.description,
            uploaded_by_id=old.uploaded_by_id,
            uploaded_at=old.uploaded_at,
        )


class Migration(migrations.Migration):
    dependencies = [("files", "0001_initial"), ("sales", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
