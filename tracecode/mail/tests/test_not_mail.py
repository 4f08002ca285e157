"""A file with no message headers is not a mail: refused by name; the rest of the batch goes on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tracecode.mail import services
from tracecode.mail.models import ImportBatch, MailMessage
from tracecode.mail.parsing import looks_like_mail

from .factories import mail_bytes

pytestmark = pytest.mark.django_db

NOT_MAIL = {
    "random.eml": bytes(range(7, 32)),  # 25 bytes of binary
    "drawing.eml": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "empty.eml": b"",
    "notes.eml": b"Meeting notes\nRK1038-1: samples on Friday\n",
    "photo.eml": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40,
}


@pytest.mark.parametrize("name", NOT_MAIL)
def test_a_file_with_no_message_headers_is_no_mail(name):
    assert not looks_like_mail(NOT_MAIL[name])


def test_real_mail_has_headers():
    assert looks_like_mail(mail_bytes())
    assert looks_like_mail(b"\r\nReceived: from x\r\n\tby y\r\nSubject: hi\r\n\r\nbody")
    assert looks_like_mail(b"From: a@b.example\n\nonly a sender\n")


def test_the_import_refuses_each_by_name_and_goes_on(tmp_path):
    paths = []
    for name, data in NOT_MAIL.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    (tmp_path / "good.eml").write_bytes(mail_bytes(subject="Real one"))
    report = services.import_files([*paths, tmp_path / "good.eml"])
    assert (report.imported, report.failed) == (1, 5)
    for name in NOT_MAIL:
        why = "empty file" if name == "empty.eml" else "not a mail: no message headers"
        assert f"{tmp_path / name}: {why}" in report.failures
    assert MailMessage.objects.get().subject == "Real one"


def test_the_upload_page_and_api_name_the_refused_file(
    alice, client, token_of, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("random.eml", NOT_MAIL["random.eml"]),
        SimpleUploadedFile("good.eml", mail_bytes(subject="Real one")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/mail/imports", {"files": files}, headers={"Authorization": token_of(alice)}
        )
    batch = ImportBatch.objects.get(pk=response.json()["id"])
    assert (batch.imported, batch.failures) == (1, ["random.eml: not a mail: no message headers"])


def test_the_command_names_the_refused_file(tmp_path, capsys, db):
    (tmp_path / "random.eml").write_bytes(NOT_MAIL["random.eml"])
    (tmp_path / "good.eml").write_bytes(mail_bytes())
    call_command("mail", "import", str(tmp_path / "random.eml"), str(tmp_path / "good.eml"))
    captured = capsys.readouterr()
    assert f"failed: {tmp_path / 'random.eml'}: not a mail: no message headers" in captured.err
    assert "imported 1, skipped 0 (duplicates), failed 1" in captured.out
