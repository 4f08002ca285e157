"""The mail pages: Unfiled, a mail, downloads, import with progress, new mail, WhatsApp."""

import pytest
from django.urls import reverse

from tracecode.mail import services
from tracecode.mail.models import ChatMessage, ImportBatch, MailMessage

from .factories import customer_with_project, mail_bytes, mbox_bytes

pytestmark = pytest.mark.django_db


def store(raw, owner=None):
    return services.store_mail(raw, source=MailMessage.Source.UPLOAD, owner=owner)


def test_unfiled_lists_only_what_one_may_see(alice, bob, client_of):
    store(mail_bytes(subject="alice's unfiled"), owner=alice)
    store(mail_bytes(subject="bob's unfiled"), owner=bob)
    page = client_of(alice).get(reverse("mail:unfiled")).content.decode()
    assert "alice&#x27;s unfiled" in page
    assert "bob&#x27;s unfiled" not in page


def test_filing_from_the_unfiled_list(alice, client_of):
    _c, project, _o = customer_with_project(alice)
    mail = store(mail_bytes(subject="no code"), owner=alice)
    client = client_of(alice)
    response = client.post(reverse("mail:file", args=[mail.pk]), {"code": project}, follow=True)
    assert f"1 mail filed under {project}." in response.content.decode()
    assert mail.links.get().code == project


def test_filing_an_unknown_code_says_so(alice, client_of):
    mail = store(mail_bytes(subject="no code"), owner=alice)
    response = client_of(alice).post(reverse("mail:detail", args=[mail.pk]), {"code": "RK9999-1"})
    assert "RK9999-1 is not a registered code." in response.content.decode()
    assert not mail.links.exists()


def test_another_users_mail_is_404(alice, bob, client_of):
    _c, _p, order = customer_with_project(alice)
    mail = store(
        mail_bytes(
            subject=f"[{order}] price",
            attachments=[("price.txt", b"USD 4.20", "text", "plain")],
        )
    )
    client = client_of(bob)
    assert client.get(reverse("mail:detail", args=[mail.pk])).status_code == 404
    attachment = mail.attachments.get()
    assert client.get(reverse("mail:attachment", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("mail:original", args=[mail.pk])).status_code == 404


def test_a_mail_shows_its_text_never_its_html(alice, client_of):
    from email.message import EmailMessage

    _c, _p, order = customer_with_project(alice)
    message = EmailMessage()
    message["Subject"] = f"[{order}] html"
    message["From"] = "x@y.example"
    message["Message-ID"] = "<html@x>"
    message.set_content("<p>Hello <script>alert(1)</script><b>bold</b></p>", subtype="html")
    mail = store(bytes(message))
    page = client_of(alice).get(reverse("mail:detail", args=[mail.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>bold</b>" not in page
    assert "bold" in page


def test_an_html_or_svg_attachment_is_only_ever_downloaded(alice, client_of):
    _c, _p, order = customer_with_project(alice)
    mail = store(
        mail_bytes(
            subject=f"[{order}] files",
            attachments=[
                ("page.html", b"<script>alert(1)</script>", "text", "html"),
                ("logo.svg", b"<svg onload='alert(1)'/>", "image", "svg+xml"),
            ],
        )
    )
    client = client_of(alice)
    for attachment in mail.attachments.all():
        response = client.get(reverse("mail:attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_uploading_several_files_imports_them_in_the_background(
    alice, client_of, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _c, _p, order = customer_with_project(alice)
    box = mbox_bytes(mail_bytes(subject=f"[{order}] one"), mail_bytes(subject="two"))
    eml = mail_bytes(subject="three")
    client = client_of(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mail:import"),
            {
                "files": [
                    SimpleUploadedFile("box.mbox", box),
                    SimpleUploadedFile("three.eml", eml),
                ]
            },
            headers={"X-Requested-With": "fetch"},
        )
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert response.json() == {"url": reverse("mail:batch", args=[batch.pk])}
    assert (batch.status, batch.imported, batch.skipped, batch.failed) == ("done", 3, 0, 0)
    page = client.get(response.json()["url"], headers={"HX-Request": "true"}).content.decode()
    assert "Imported 3, skipped 0 (already there), failed 0." in page
    assert "hx-trigger" not in page  # done: the page stops polling


def test_the_viewer_cannot_import(viewer, client_of):
    assert client_of(viewer).get(reverse("mail:import")).status_code == 403


def test_new_mail_is_prefilled_with_the_code(alice, client_of):
    _c, _p, order = customer_with_project(alice)
    page = client_of(alice).get(reverse("mail:compose", args=[order])).content.decode()
    assert f'value="[{order}] "' in page


def test_new_mail_for_a_code_one_may_not_see_is_404(alice, bob, client_of):
    _c, _p, order = customer_with_project(alice)
    assert client_of(bob).get(reverse("mail:compose", args=[order])).status_code == 404


def test_a_whatsapp_upload_lands_in_the_timeline(alice, bob, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _c, project, _o = customer_with_project(alice)
    chat = b"1/15/26, 9:05 AM - Zhang Wei: Samples shipped by SF express\n"
    client = client_of(alice)
    response = client.post(
        reverse("mail:chat_import"),
        {"file": SimpleUploadedFile("chat.txt", chat), "code": project},
        follow=True,
    )
    page = response.content.decode()
    assert "chat.txt: 1 new, 0 skipped (already there)." in page
    assert "Samples shipped by SF express" in page
    assert ChatMessage.objects.count() == 1
    assert client_of(bob).get(reverse("mail:timeline", args=[project])).status_code == 404


def test_a_chat_in_an_unknown_format_is_refused_with_file_and_line(alice, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_of(alice).post(
        reverse("mail:chat_import"), {"file": SimpleUploadedFile("notes.txt", b"just notes\n")}
    )
    page = response.content.decode()
    assert "notes.txt: line 1" in page
