"""A file name of thousands of characters: a message where the upload was made, never a bare
"Bad Request" page. Django cannot read a form part whose headers pass 1 KB, so the name is
answered for before any view; the test client would shorten the name, so the body is built
here byte by byte, as a browser sends it."""

import pytest

from tracecode.files.models import StoredFile

pytestmark = pytest.mark.django_db

BOUNDARY = "----tracecode-test-boundary"
LONG_NAME = "Inspection report " + "very " * 600 + "long.txt"


def multipart(name: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="document_type"\r\n\r\n'
        "Specification\r\n",
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\nGeneral tolerances ISO 2768-mK\r\n",
        f"--{BOUNDARY}--\r\n",
    ]
    return "".join(parts).encode()


def post(client, url, name=LONG_NAME, **headers):
    return client.generic(
        "POST",
        url,
        multipart(name),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers=headers,
    )


def test_the_api_answers_in_its_error_shape(client, alice, token_of, project):
    response = post(client, f"/api/files/of/{project.code}", Authorization=token_of(alice))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request" and "file name is far too long" in error["message"]
    assert not StoredFile.objects.exists()


def test_the_upload_panel_shows_the_message_beside_the_file(client_of, alice, project):
    url = f"/files/of/{project.code}/upload/"
    response = post(client_of(alice), url, **{"X-Requested-With": "fetch"})
    assert response.status_code == 400
    (message,) = response.json()["errors"]
    assert "Rename the file to a shorter name" in message


def test_a_plain_form_post_goes_back_to_its_page_with_the_message(client_of, alice, project):
    client = client_of(alice)
    page = f"http://testserver{project.get_absolute_url()}"
    response = post(client, f"/files/of/{project.code}/upload/", Referer=page)
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(project.get_absolute_url()).content.decode()
    assert "file name is far too long" in shown


def test_a_name_that_fits_is_still_filed(client_of, alice, project):
    url = f"/files/of/{project.code}/upload/"
    response = post(client_of(alice), url, "tolerances.txt", **{"X-Requested-With": "fetch"})
    assert response.status_code == 200, response.content
    assert StoredFile.objects.get().original_name == "tolerances.txt"
