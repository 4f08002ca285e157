"""The default mail templates (mail/defaults.py), and the attachments of mails filed before
this release in their record's files: each one a StoredFile of the mail's first code that
points at the attachment's own stored file (as services.linking.file_attachments does for
mails filed from now on). Run `tracecode search reindex` afterwards for search to find them
as files too."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import migrations
from django.db.models import Max


def seed_templates(apps, schema_editor):
    from tracecode.mail.defaults import seed

    seed(apps.get_model("mail", "MailTemplate"))


def adopt_attachments(apps, schema_editor):
    from tracecode.files.inspect import HEAD_BYTES, inspect
    from tracecode.files.services import original_name

    MailAttachment = apps.get_model("mail", "MailAttachment")
    MailLink = apps.get_model("mail", "MailLink")
    StoredFile = apps.get_model("files", "StoredFile")
    taken = set(StoredFile.objects.values_list("file", flat=True))
    attachments = MailAttachment.objects.filter(inline=False, mail__links__isnull=False)
    for attachment in attachments.select_related("mail").distinct().iterator():
        name = attachment.file.name if attachment.file else ""
        if not name or name in taken or name.startswith("Unfiled/"):
            continue
        link = MailLink.objects.filter(mail_id=attachment.mail_id).order_by("pk").first()
        digest, head, size = hashlib.sha256(), b"", 0
        try:
            with default_storage.open(name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
                    head += chunk[: max(0, HEAD_BYTES - len(head))]
                    size += len(chunk)
        except OSError:
            continue
        shown = original_name(attachment.filename) or name.rsplit("/", 1)[-1]
        try:
            found = inspect(shown, head, size)
        except ValidationError:
            continue
        series = shown.casefold()
        latest = StoredFile.objects.filter(
            code=link.code, document_type="Mails", series=series
        ).aggregate(Max("version"))["version__max"]
        StoredFile.objects.create(
            customer_id=link.customer_id, code=link.code, document_type="Mails",
            original_name=shown, series=series, version=(latest or 0) + 1, file=name,
            size=size, sha256=digest.hexdigest(), content_type=found.content_type,
            inline=found.inline, description=attachment.mail.subject[:200],
        )  # fmt: skip
        taken.add(name)


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0004_templates_signatures_drafts"),
        ("files", "0002_project_files"),
    ]

    operations = [
        migrations.RunPython(seed_templates, migrations.RunPython.noop),
        migrations.RunPython(adopt_attachments, migrations.RunPython.noop),
    ]
