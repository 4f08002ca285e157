"""The folder framework through the API: the same rules and the same refusals."""

import io
import zipfile

import pytest

from tracecode.files.folders import folder_of
from tracecode.files.models import StoredFile

from .factories import pdf, upload

pytestmark = pytest.mark.django_db


def test_upload_list_and_download_through_the_api(client, alice, project, token_of):
    auth = {"Authorization": token_of(alice)}
    response = client.post(
        f"/api/files/of/{project.code}",
        {"file": [upload("SP1003.step", b"ISO-10303-21;"), upload("spec.pdf", pdf())],
         "document_type": "Specification", "description": "3D model"},
        headers=auth,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    stored = response.json()["stored"]
    assert [f["original_name"] for f in stored] == ["SP1003.step", "spec.pdf"]
    assert stored[0]["path"].startswith(f"{folder_of(project)}/Specification/{project.code} Spec")
    listed = client.get(f"/api/files/of/{project.code}", headers=auth).json()
    assert {f["id"] for f in listed} == {f["id"] for f in stored}
    download = client.get(stored[1]["url"], headers=auth)
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_refusals_are_listed_beside_what_was_stored(client, alice, project, token_of):
    response = client.post(
        f"/api/files/of/{project.code}",
        {"file": [upload("ok.pdf", pdf()), upload("fake.pdf", b"<html>")]},
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 422
    body = response.json()
    assert len(body["stored"]) == 1
    assert body["refused"] == [
        {"name": "fake.pdf", "messages": ["“fake.pdf” is not a PDF file: its content is "
                                          "not a known file type."]}
    ]  # fmt: skip
    assert StoredFile.objects.count() == 1


def test_an_unknown_document_type_is_refused(client, alice, project, token_of):
    response = client.post(
        f"/api/files/of/{project.code}",
        {"file": upload("ok.pdf", pdf()), "document_type": "Secrets"},
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 422
    assert "not a document type" in response.json()["refused"][0]["messages"][0]


def test_bob_gets_404_for_everything_of_alice(client, alice, bob, project, token_of):
    alice_auth, bob_auth = {"Authorization": token_of(alice)}, {"Authorization": token_of(bob)}
    stored = client.post(
        f"/api/files/of/{project.code}", {"file": upload("a.pdf", pdf())}, headers=alice_auth
    ).json()["stored"][0]
    for url in (
        stored["url"],
        f"/api/files/of/{project.code}",
        f"/api/files/of/{project.code}/zip",
    ):
        assert client.get(url, headers=bob_auth).status_code == 404, url
    response = client.post(
        f"/api/files/of/{project.code}", {"file": upload("b.pdf", pdf())}, headers=bob_auth
    )
    assert response.status_code == 404


def test_the_zip_through_the_api(client, alice, project, token_of):
    auth = {"Authorization": token_of(alice)}
    client.post(f"/api/files/of/{project.code}", {"file": upload("a.pdf", pdf())}, headers=auth)
    response = client.get(f"/api/files/of/{project.code}/zip", headers=auth)
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert any(name.startswith(f"{folder_of(project)}/Drawing/") for name in names)
