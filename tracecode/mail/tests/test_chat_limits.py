"""A chat upload is held to the upload limit, streamed, capped when unpacked, and its media
checked by content: a zip bomb or a program dressed as a photo never reaches the folder."""

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracecode.backups.filestore import names
from tracecode.mail import services
from tracecode.mail.models import ChatImport, ChatMedia

from .factories import customer_with_project

pytestmark = pytest.mark.django_db

PHOTO = "00000012-PHOTO-2026-01-05-09-06-12.jpg"
CHAT = f"[15/01/2026, 09:06:12] Zhang Wei: \u200e<attached: {PHOTO}>\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def export(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("_chat.txt", CHAT)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def stored_files() -> list[str]:
    """Every file in the store (a local folder or a bucket)."""
    return list(names(default_storage))


def post_page(client, name, data, code=""):
    return client.post(
        reverse("mail:chat_import"), {"file": SimpleUploadedFile(name, data), "code": code}
    )


def post_api(client, token, name, data):
    return client.post(
        "/api/mail/chats",
        {"file": SimpleUploadedFile(name, data)},
        headers={"Authorization": token},
    )


def test_a_chat_over_the_upload_limit_is_refused_on_the_page(alice, client_of, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 100_000
    text = ("1/15/26, 9:05 AM - Zhang Wei: " + "x" * 69 + "\n") * 1500
    response = post_page(client_of(alice), "chat.txt", text.encode())
    assert "chat.txt is 146.5\xa0KB; a chat export may be at most 97.7\xa0KB." in (
        response.content.decode()
    )
    assert ChatImport.objects.count() == 0


def test_a_chat_over_the_upload_limit_is_refused_by_the_api(bob, client, token_of, settings):
    settings.FILES_MAX_UPLOAD_BYTES = 100_000
    text = ("1/15/26, 9:05 AM - Zhang Wei: " + "x" * 69 + "\n") * 1500
    response = post_api(client, token_of(bob), "chat.txt", text.encode())
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["file"] == [
        "chat.txt is 146.5\xa0KB; a chat export may be at most 97.7\xa0KB."
    ]
    assert ChatImport.objects.count() == 0


def test_a_zip_bomb_is_refused_and_nothing_is_written(alice, bob, client_of, client, token_of):
    _c, project, _o = customer_with_project(alice)
    bomb = export({PHOTO: JPEG + b"\0" * 30_000_000})
    assert len(bomb) < 100_000
    page = post_page(client_of(alice), "WhatsApp Chat.zip", bomb, code=project).content.decode()
    assert f"“{PHOTO}” would unpack to 28.6\xa0MB from" in page
    assert "a zip bomb is refused" in page
    api = post_api(client, token_of(bob), "WhatsApp Chat.zip", bomb)
    assert api.status_code == 422
    assert "a zip bomb is refused" in api.json()["error"]["fields"]["file"][0]
    assert ChatImport.objects.count() == 0
    assert stored_files() == []


def test_the_unpacked_size_of_an_export_is_capped(alice, client_of, settings):
    settings.MAIL_CHAT_UNPACKED_MAX_BYTES = 1_000_000
    photos = {f"{n}.jpg": JPEG + os.urandom(600_000) for n in range(2)}
    response = post_page(client_of(alice), "chat.zip", export(photos, zipfile.ZIP_STORED))
    assert "chat.zip unpacks to 1.1\xa0MB; a chat export may unpack to at most 976.6\xa0KB." in (
        response.content.decode()
    )
    assert ChatImport.objects.count() == 0
    assert stored_files() == []


def test_a_program_dressed_as_a_photo_is_not_kept(alice, bob, client_of, client, token_of):
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200
    data = export({PHOTO: program})
    response = post_page(client_of(alice), "chat.zip", data)
    page = client_of(alice).get(response.url).content.decode()
    assert f"“{PHOTO}” is a program or script; those are not accepted." in page
    api = post_api(client, token_of(bob), "chat.zip", data).json()
    assert api["messages"] == 1
    assert api["problems"] == [f"“{PHOTO}” is a program or script; those are not accepted."]
    assert ChatMedia.objects.count() == 0
    assert stored_files() == []


def test_a_real_photo_is_kept(alice):
    chat = services.import_chat("chat.zip", export({PHOTO: JPEG + b"pixels"}), alice)
    media = chat.messages.get().media.get()
    assert media.file.read() == JPEG + b"pixels"


def test_a_large_export_is_imported_without_holding_it_in_memory(alice, tmp_path):
    path = tmp_path / "WhatsApp Chat.zip"
    chat = "".join(
        f"[15/01/2026, 09:0{n}:12] Zhang Wei: \u200e<attached: {n}.jpg>\n" for n in range(4)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", chat)
        for n in range(4):  # photos do not compress: 40 MB in, 40 MB out
            archive.writestr(f"{n}.jpg", JPEG + os.urandom(10_000_000))
    # A small export first: the modules a first import loads (search, files…) are not its data.
    services.import_chat("warm-up.zip", export({PHOTO: JPEG + b"pixels"}), alice)
    tracemalloc.start()
    try:
        with open(path, "rb") as upload:
            imported = services.import_chat(path.name, upload, alice)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ChatMedia.objects.filter(message__upload=imported).count() == 4
    assert sum(default_storage.size(name) for name in stored_files()) > 40_000_000
    # A bucket holds an upload's parts in memory while it sends them (two of 5 MB at most).
    parts = 0 if isinstance(default_storage._wrapped, FileSystemStorage) else 2 * 5 * 2**20
    assert peak < 12_000_000 + parts, f"peak {peak / 1e6:.0f} MB"
