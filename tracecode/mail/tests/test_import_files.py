"""Importing .eml and mbox files: idempotent by Message-ID, counts, one bad message never stops."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tracecode.files.folders import folder_of_code
from tracecode.mail import services
from tracecode.mail.models import MailAttachment, MailMessage

from .factories import customer_with_project, mail_bytes, mbox_bytes

pytestmark = pytest.mark.django_db


def test_an_eml_file_is_imported_with_its_attachment_and_original(alice, tmp_path):
    customer, project, order = customer_with_project(alice)
    eml = tmp_path / "drawing.eml"
    eml.write_bytes(
        mail_bytes(
            subject=f"[{order}] Drawing rev B",
            attachments=[("bracket.txt", b"tolerance 0.05 anodised", "text", "plain")],
        )
    )
    report = services.import_files([eml], owner=alice)
    assert (report.imported, report.skipped, report.failed) == (1, 0, 0)
    mail = MailMessage.objects.get()
    assert mail.subject == f"[{order}] Drawing rev B"
    folder = f"{customer.code} {customer.company_name}/{order.rsplit('-', 1)[0]}/{order}/Mails"
    assert folder_of_code(order) == folder.removesuffix("/Mails")
    assert mail.eml.name.startswith(f"{folder}/")
    assert mail.eml.name.endswith(f"[{order}] Drawing rev B.eml")
    assert default_storage.open(mail.eml.name).read() == eml.read_bytes()
    attachment = MailAttachment.objects.get()
    assert attachment.file.name == f"{folder}/bracket.txt"
    assert "anodised" in attachment.text


def test_a_second_import_adds_nothing(alice, tmp_path):
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox_bytes(mail_bytes(subject="one"), mail_bytes(subject="two")))
    first = services.import_files([path], owner=alice)
    second = services.import_files([path], owner=alice)
    assert (first.imported, first.skipped) == (2, 0)
    assert (second.imported, second.skipped, second.failed) == (0, 2, 0)
    assert MailMessage.objects.count() == 2


def test_a_missing_file_is_counted_and_named_and_the_rest_goes_on(alice, tmp_path):
    good = tmp_path / "good.eml"
    good.write_bytes(mail_bytes())
    report = services.import_files([tmp_path / "missing.eml", good], owner=alice)
    assert report.imported == 1
    assert report.failed == 1
    assert "missing.eml" in report.failures[0]


def test_a_truncated_mbox_imports_what_it_holds(alice, tmp_path):
    from pathlib import Path

    sample = Path(__file__).parent / "samples" / "truncated.mbox"
    report = services.import_files([sample], owner=alice)
    assert report.imported >= 1
    assert report.imported + report.failed + report.skipped >= 2
    for failure in report.failures:
        assert "truncated.mbox, message" in failure


def test_a_message_the_database_refuses_is_named_and_the_rest_imported(alice, tmp_path):
    path = tmp_path / "box.mbox"
    long_subject = "x" * 2000  # stored cut, never refused
    path.write_bytes(mbox_bytes(mail_bytes(subject=long_subject), mail_bytes(subject="fine")))
    report = services.import_files([path], owner=alice)
    assert report.imported == 2


def test_the_command_prints_the_counts(alice, tmp_path, capsys):
    path = tmp_path / "box.mbox"
    path.write_bytes(mbox_bytes(mail_bytes(subject="one"), mail_bytes(subject="two")))
    call_command("mail", "import", str(path))
    call_command("mail", "import", str(path))
    out = capsys.readouterr().out
    assert "imported 2, skipped 0 (duplicates), failed 0" in out
    assert "imported 0, skipped 2 (duplicates), failed 0" in out


def test_file_names_cannot_leave_the_folder(alice, tmp_path):
    eml = tmp_path / "evil.eml"
    eml.write_bytes(
        mail_bytes(
            subject="../../etc/passwd\x00\x1b",
            attachments=[("../../../evil.sh", b"echo", "text", "plain")],
        )
    )
    services.import_files([eml], owner=alice)
    mail = MailMessage.objects.get()
    for name in [mail.eml.name, mail.attachments.get().file.name]:
        assert ".." not in name.split("/")
        assert not any(ord(c) < 32 for c in name)
        assert name.startswith("Unfiled/Mails/")


def test_the_text_of_a_docx_attachment_is_kept_for_search(alice, tmp_path):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("Surface roughness Ra 0.8 on the sealing face")
    buffer = io.BytesIO()
    document.save(buffer)
    eml = tmp_path / "spec.eml"
    docx_type = "vnd.openxmlformats-officedocument.wordprocessingml.document"
    eml.write_bytes(
        mail_bytes(attachments=[("spec.docx", buffer.getvalue(), "application", docx_type)])
    )
    services.import_files([eml], owner=alice)
    assert "sealing face" in MailAttachment.objects.get().text
