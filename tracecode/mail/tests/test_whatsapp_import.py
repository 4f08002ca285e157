"""WhatsApp exports: messages stored and filed by the codes they mention or a code picked."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from tracecode.files.folders import folder_of_code
from tracecode.mail import services
from tracecode.mail.models import ChatMessage, How

from .factories import customer_with_project

pytestmark = pytest.mark.django_db


def chat(project, order):
    return (
        f"1/15/26, 9:05 AM - Alice Becker: Hi Zhang Wei, any news on {order}?\n"
        "1/15/26, 9:07 AM - Zhang Wei: Shipped today. Tracking number:\n"
        "SF1234567890\n"
        f"1/15/26, 9:09 AM - Alice Becker: Thanks. Next: the drawing for {project}\n"
    ).encode()


def test_messages_are_filed_under_the_codes_they_mention(alice):
    _c, project, order = customer_with_project(alice)
    imported = services.import_chat("WhatsApp Chat.txt", chat(project, order), alice)
    messages = list(imported.messages.all())
    assert len(messages) == 3
    assert [(x.code, x.how) for x in messages[0].links.all()] == [(order, How.BODY)]
    assert list(messages[1].links.all()) == []  # mentions nothing: only the uploader sees it
    assert "SF1234567890" in messages[1].text
    assert [x.code for x in messages[2].links.all()] == [project]


def test_a_picked_code_files_every_message(alice, bob):
    customer, project, order = customer_with_project(alice)
    services.import_chat("chat.txt", chat(project, order), alice, code=project)
    assert ChatMessage.objects.filter(links__code=project).count() == 3
    assert ChatMessage.objects.visible_to(bob).count() == 0
    assert ChatMessage.objects.visible_to(alice).count() == 3


def test_a_picked_code_must_be_registered(alice):
    with pytest.raises(ValidationError):
        services.import_chat("chat.txt", b"1/15/26, 9:05 AM - A: hi\n", alice, code="RK9999-1")


def test_media_from_the_zip_are_saved_as_files(alice):
    customer, project, _order = customer_with_project(alice)
    text = "[15/01/2026, 09:06:12] Alice Becker: \u200e<attached: 00000012-PHOTO.jpg>\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("_chat.txt", text)
        archive.writestr("00000012-PHOTO.jpg", b"\xff\xd8\xff fake jpeg")
    imported = services.import_chat("WhatsApp Chat.zip", buffer.getvalue(), alice, code=project)
    media = imported.messages.get().media.get()
    assert media.file.name == f"{folder_of_code(project)}/WhatsApp/00000012-PHOTO.jpg"
    assert default_storage.open(media.file.name).read() == b"\xff\xd8\xff fake jpeg"


def test_an_unknown_format_is_refused_naming_the_file_and_line(alice):
    with pytest.raises(services.ChatImportError) as error:
        services.import_chat("notes.txt", b"hello there\nthis is no chat\n", alice)
    assert "notes.txt" in str(error.value)
    assert "line 1" in str(error.value)
    assert ChatMessage.objects.count() == 0
