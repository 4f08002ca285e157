"""Uploading to a record: filed and named by the framework, versioned, checked by content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone

from tracecode.files import services
from tracecode.files.folders import folder_of
from tracecode.files.models import StoredFile
from tracecode.search.services import search

from .factories import pdf, upload

pytestmark = pytest.mark.django_db


def today() -> str:
    return timezone.localdate().isoformat()


def test_a_drawing_is_filed_and_named_under_the_project(client_of, alice, project):
    response = client_of(alice).post(
        f"/files/of/{project.code}/upload/",
        {"file": upload("SP1003 rev B.pdf", pdf()), "description": "housing"},
    )
    assert response.status_code == 302
    stored = StoredFile.objects.get()
    name = f"{project.code} Drawing {today()}.pdf"
    assert stored.file.name == f"{folder_of(project)}/Drawing/{name}"
    assert stored.original_name == "SP1003 rev B.pdf"
    assert stored.version == 1 and stored.content_type == "application/pdf"
    assert default_storage.exists(stored.file.name)


def test_several_files_at_once_and_one_refusal_does_not_stop_the_others(client_of, alice, project):
    response = client_of(alice).post(
        f"/files/of/{project.code}/upload/",
        {"file": [upload("a.pdf", pdf()), upload("empty.txt", b""), upload("b.png", b"x")]},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 422
    body = response.json()
    assert [f["name"] for f in body["stored"]] == [f"{project.code} Drawing {today()}.pdf"]
    assert body["errors"] == [
        "“empty.txt” is empty.",
        "“b.png” is not a PNG file: its content is not a known file type.",
    ]
    assert StoredFile.objects.count() == 1


def test_the_same_file_again_is_a_new_version_and_the_old_one_stays(alice, project):
    first = services.store(project, upload("SP1003.pdf", pdf("rev A")), user=alice)
    second = services.store(project, upload("sp1003.PDF", pdf("rev B")), user=alice)
    assert (first.version, second.version) == (1, 2)
    assert second.stored_name == f"{project.code} Drawing {today()} v2.pdf"
    assert default_storage.exists(first.file.name) and default_storage.exists(second.file.name)


def test_another_file_the_same_day_gets_a_name_of_its_own(alice, project):
    first = services.store(project, upload("housing.pdf", pdf("housing")), user=alice)
    other = services.store(project, upload("cover.pdf", pdf("cover")), user=alice)
    assert other.version == 1
    assert other.stored_name == f"{project.code} Drawing {today()} (2).pdf"
    assert first.file.name != other.file.name


def test_customer_and_order_levels_have_their_own_folders(alice, customer, order):
    nda = services.store(customer, upload("NDA signed.pdf", pdf()), user=alice, document_type="NDA")
    po = services.store(order, upload("PO 4711.pdf", pdf()), user=alice)
    assert nda.file.name == f"{folder_of(customer)}/NDA/{customer.code} NDA {today()}.pdf"
    assert po.file.name == (
        f"{folder_of(order)}/Purchase order/{order.code} Purchase order {today()}.pdf"
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.pdf", b"", "“empty.pdf” is empty."),
        ("drawing.pdf", b"\x00\x01garbage" * 10, "is not a PDF file"),
        ("photo.jpg", b"%PDF-1.4 not a photo", "its content is PDF"),
        ("setup.exe", b"MZ\x90\x00", "is a program or script"),
        ("tool.pdf", b"MZ\x90\x00" + b"\x00" * 64, "is a program or script"),
        ("run.sh", b"#!/bin/sh\nrm -rf /", "is a program or script"),
        ("notes.txt", b"abc\x00def", "is not a text file"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_kept(
    alice, project, name, data, message
):
    with pytest.raises(ValidationError) as refusal:
        services.store(project, upload(name, data), user=alice)
    assert message in " ".join(refusal.value.messages)
    assert StoredFile.objects.count() == 0


def test_a_file_above_the_limit_is_refused_with_the_limit(settings, alice, project):
    settings.FILES_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as refusal:
        services.store(project, upload("big.txt", b"a" * 2048), user=alice)
    message = refusal.value.messages[0].replace("\xa0", " ")
    assert message == "“big.txt” is 2.0 KB; a file may be at most 1.0 KB."


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "..\\..\\boot.ini.txt", "a\x00b\x1b[31m.txt", "/abs/x.txt"]
)
def test_path_tricks_stay_inside_the_record_folder(alice, project, name):
    stored = services.store(project, upload(name, b"plain text"), user=alice)
    assert stored.file.name.startswith(f"{folder_of(project)}/Drawing/{project.code} Drawing")
    assert ".." not in stored.file.name.split("/")
    assert "/" not in stored.original_name and "\x00" not in stored.original_name
    if isinstance(default_storage._wrapped, FileSystemStorage):  # a bucket has no paths
        assert default_storage.path(stored.file.name).startswith(str(default_storage.location))


def test_a_name_of_nothing_is_refused(alice, project):
    with pytest.raises(ValidationError):
        services.store(project, upload("\x07\u202e", b"data"), user=alice)


def test_a_pdf_without_text_is_stored_and_found_by_its_name(alice, project):
    image_only = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"  # nothing to extract
    stored = services.store(project, upload("scan 0042.pdf", image_only), user=alice)
    assert stored.text == ""
    assert search(alice, "scan 0042").groups


def test_active_files_are_never_shown_inline(client_of, alice, project):
    for name, body in [
        ("page.html", b"<script>alert(1)</script>"),
        ("logo.svg", b"<svg onload='alert(1)'/>"),
        ("innocent.txt", b"<html><script>alert(1)</script></html>"),
    ]:
        stored = services.store(project, upload(name, body), user=alice)
        assert not stored.inline
        for url in (f"/files/{stored.pk}/", f"/files/{stored.pk}/view/"):
            response = client_of(alice).get(url)
            assert response["Content-Type"] == "application/octet-stream", name
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"
            assert "sandbox" in response["Content-Security-Policy"]


def test_a_pdf_is_shown_inline_when_asked(client_of, alice, project):
    stored = services.store(project, upload("d.pdf", pdf()), user=alice)
    response = client_of(alice).get(f"/files/{stored.pk}/view/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")


def test_words_inside_an_uploaded_pdf_are_found_by_the_header_search(alice, project):
    services.store(project, upload("spec.pdf", pdf("Zinklegierung Druckguss")), user=alice)
    results = search(alice, "Druckguss")
    assert [group.kind for group in results.groups] == ["file"]
    assert search(alice, project.code).groups  # and under its project's code


def test_bob_sees_and_finds_nothing_of_alices_files(client_of, alice, bob, project):
    stored = services.store(project, upload("spec.pdf", pdf("Zinklegierung")), user=alice)
    assert client_of(bob).get(f"/files/{stored.pk}/").status_code == 404
    assert client_of(bob).get(f"/files/{stored.pk}/view/").status_code == 404
    assert client_of(bob).get(f"/files/of/{project.code}/zip/").status_code == 404
    response = client_of(bob).post(
        f"/files/of/{project.code}/upload/", {"file": upload("x.pdf", pdf())}
    )
    assert response.status_code == 404
    assert not search(bob, "Zinklegierung").groups


def test_a_viewer_may_download_but_not_upload(client_of, alice, viewer):
    from tracecode.sales.tests.factories import make_customer, make_project

    project = make_project(make_customer(alice, shared_with=[viewer]), alice)
    stored = services.store(project, upload("d.pdf", pdf()), user=alice)
    assert client_of(viewer).get(f"/files/{stored.pk}/").status_code == 200
    response = client_of(viewer).post(
        f"/files/of/{project.code}/upload/", {"file": upload("x.pdf", pdf())}
    )
    assert response.status_code == 403


def test_the_project_page_shows_the_panel_with_versions(client_of, alice, project):
    services.store(project, upload("SP1003.pdf", pdf("rev A")), user=alice)
    services.store(project, upload("SP1003.pdf", pdf("rev B")), user=alice)
    page = client_of(alice).get(project.get_absolute_url()).content.decode()
    assert f"{project.code} Drawing {today()} v2.pdf" in page
    assert "1 earlier version" in page
    assert "Drop files here, or choose them" in page


def test_the_same_content_again_is_recognised_and_not_stored_twice(alice, project):
    drawing = pdf("rev A")
    first = services.store(project, upload("SP1003.pdf", drawing), user=alice)
    again = services.store(project, upload("SP1003 copy.pdf", drawing), user=alice)
    assert again.pk == first.pk and again.already_filed
    assert StoredFile.objects.count() == 1
    assert len(list(default_storage.listdir(f"{folder_of(project)}/Drawing")[1])) == 1


def test_the_same_content_under_another_record_is_filed_there(alice, project, order):
    drawing = pdf("rev A")
    services.store(project, upload("SP1003.pdf", drawing), user=alice)
    services.store(order, upload("SP1003.pdf", drawing), user=alice)
    assert StoredFile.objects.count() == 2


@pytest.mark.parametrize(
    "language, said",
    [("en", "is already filed as"), ("zh-hans", "已归档为")],
)
def test_the_page_says_the_file_is_already_there(client_of, alice, project, language, said):
    drawing = pdf("rev A")
    client = client_of(alice)
    client.cookies["django_language"] = language
    client.post(f"/files/of/{project.code}/upload/", {"file": upload("SP1003.pdf", drawing)})
    answer = client.post(
        f"/files/of/{project.code}/upload/", {"file": upload("SP1003.pdf", drawing)}, follow=True
    )
    assert said in answer.content.decode()
    assert StoredFile.objects.count() == 1


def test_the_api_says_the_file_is_already_there(client_of, alice, project):
    drawing = pdf("rev A")
    url = f"/api/files/of/{project.code}"
    first = client_of(alice).post(url, {"file": upload("SP1003.pdf", drawing)}).json()
    again = client_of(alice).post(url, {"file": upload("SP1003.pdf", drawing)})
    assert again.status_code == 201
    (stored,) = again.json()["stored"]
    assert stored["id"] == first["stored"][0]["id"] and stored["already_filed"] is True
    assert first["stored"][0]["already_filed"] is False


def test_the_upload_widget_is_told_the_file_is_already_there(client_of, alice, project):
    drawing = pdf("rev A")
    client = client_of(alice)
    client.post(f"/files/of/{project.code}/upload/", {"file": upload("SP1003.pdf", drawing)})
    body = client.post(
        f"/files/of/{project.code}/upload/",
        {"file": upload("SP1003.pdf", drawing)},
        headers={"X-Requested-With": "fetch"},
    ).json()
    assert body["stored"][0]["already_filed"] is True
