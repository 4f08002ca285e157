"""A filed mail's attachments are in its record's Files panel: the same stored file (a
StoredFile pointing at the attachment's storage name), not a copy; pictures inside the text
and programs are not; an unfiled mail's attachments join once it is filed."""

import pytest
from django.urls import reverse

from tracecode.files import tree
from tracecode.files.models import StoredFile
from tracecode.mail import services
from tracecode.mail.models import MailMessage
from tracecode.sales.tests.factories import make_customer, make_project

from .factories import mail_bytes

pytestmark = pytest.mark.django_db

DRAWING = ("FL-220 rev B.pdf", b"%PDF-1.4 flange drawing", "application", "pdf")
PROGRAM = ("viewer.exe", b"MZ\x90\x00 not a drawing", "application", "octet-stream")


def mail_with(project, *, subject=None, attachments=(DRAWING,), owner=None):
    raw = mail_bytes(subject=subject or f"[{project.code}] Drawing", attachments=attachments)
    return services.store_mail(raw, source=MailMessage.Source.UPLOAD, owner=owner)


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice), alice, name="FL-220")


def test_an_attachment_of_a_filed_mail_is_the_same_file_in_the_files_panel(
    alice, project, client_of
):
    mail = mail_with(project)
    attachment = mail.attachments.get()
    stored = StoredFile.objects.get(code=project.code)
    assert stored.file.name == attachment.file.name  # one file, two ways to it
    assert (stored.document_type, stored.original_name) == ("Mails", "FL-220 rev B.pdf")
    assert stored.description == f"[{project.code}] Drawing"
    page = client_of(alice).get(project.get_absolute_url()).content.decode()
    assert stored.stored_name in page
    listed = client_of(alice).get(f"/api/files/of/{project.code}").json()
    assert [f["path"] for f in listed] == [attachment.file.name]


def test_the_same_name_again_is_the_next_version(alice, project):
    mail_with(project)
    mail_with(project, subject=f"[{project.code}] Drawing, corrected")
    assert list(StoredFile.objects.values_list("version", flat=True).order_by("version")) == [1, 2]


def test_programs_and_pictures_in_the_text_stay_with_the_mail(alice, project):
    mail = mail_with(project, attachments=[PROGRAM])
    assert mail.attachments.count() == 1
    assert not StoredFile.objects.exists()


def test_an_unfiled_mails_attachments_join_the_files_when_it_is_filed(alice, project):
    mail = mail_with(project, subject="Drawing for you", owner=alice)
    assert not mail.links.exists() and not StoredFile.objects.exists()
    services.file_mail(mail, project.code, alice)
    attachment = mail.attachments.get()
    assert attachment.file.name.startswith(f"{project.customer.code} ")  # moved out of Unfiled
    assert StoredFile.objects.get().file.name == attachment.file.name


def test_the_folder_zip_holds_the_attachment_once(alice, project):
    mail = mail_with(project)
    paths = [item.path for item in tree.items(project)]
    assert paths.count(mail.attachments.get().file.name) == 1


def test_bob_sees_neither_the_mail_nor_its_files(alice, bob, project, client_of):
    mail_with(project)
    stored = StoredFile.objects.get()
    assert client_of(bob).get(reverse("files:download", args=[stored.pk])).status_code == 404
    assert client_of(bob).get(f"/api/files/of/{project.code}").status_code == 404
