"""Drawings and specifications of an enquiry: stored under its code, downloaded safely."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tracecode.sales import services
from tracecode.sales.models import ProjectFile

from .factories import make_customer, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(alice):
    return make_project(make_customer(alice))


def test_a_drawing_is_stored_under_the_project_code(client_of, alice, project):
    upload = SimpleUploadedFile(
        "SP1003 rev B.pdf", b"%PDF-1.7 drawing", content_type="application/pdf"
    )
    response = client_of(alice).post(
        f"/sales/projects/{project.code}/files/", {"file": upload, "kind": "drawing"}
    )
    assert response.status_code == 302
    record = ProjectFile.objects.get()
    assert record.name == "SP1003 rev B.pdf" and record.size == 16
    assert record.file.name.startswith(f"{project.customer.code}/{project.code}/files/")
    download = client_of(alice).get(f"/sales/files/{record.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 drawing"


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..", "a/b.pdf", "a\\b.pdf", ".htaccess", "x\x00.pdf"]
)
def test_path_tricks_in_names_are_refused(alice, project, name):
    upload = SimpleUploadedFile("ok.pdf", b"x")
    with pytest.raises(ValidationError):
        services.attach_file(project, upload, user=alice, name=name)
    assert ProjectFile.objects.count() == 0


def test_html_and_svg_are_never_served_inline(client_of, alice, project):
    for name, body in [
        ("page.html", b"<script>alert(1)</script>"),
        ("logo.svg", b"<svg onload='x'/>"),
    ]:
        record = services.attach_file(project, SimpleUploadedFile(name, body), user=alice)
        response = client_of(alice).get(f"/sales/files/{record.pk}/")
        assert response["Content-Type"] == "application/octet-stream", name
        assert response["Content-Disposition"].startswith("attachment;")


def test_bob_cannot_download_alices_drawing(client_of, alice, bob, project):
    record = services.attach_file(project, SimpleUploadedFile("d.pdf", b"x"), user=alice)
    assert client_of(bob).get(f"/sales/files/{record.pk}/").status_code == 404


def test_files_are_uploaded_through_the_api(client, alice, project, token_of):
    upload = SimpleUploadedFile("SP1003.step", b"ISO-10303-21;")
    response = client.post(
        f"/api/sales/projects/{project.code}/files",
        {"file": upload, "kind": "drawing", "description": "3D model"},
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "SP1003.step"
