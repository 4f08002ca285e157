"""A chat is an archive: each export of it adds only the messages not yet there."""

import pytest

from tracecode.mail import services
from tracecode.mail.models import ChatImport, ChatMessage, ChatUpload
from tracecode.search.services import search

from .factories import customer_with_project

pytestmark = pytest.mark.django_db

NAME = "WhatsApp Chat with Zhang Wei.txt"


def export(order, *extra):
    lines = [
        f"15/01/2026, 09:05 - Alice Becker: Hi Zhang Wei, any news on {order}?",
        "15/01/2026, 09:07 - Zhang Wei: Final inspection passed, shipping Friday",
        "15/01/2026, 09:08 - Zhang Wei: ok",
        "15/01/2026, 09:08 - Alice Becker: ok",
        *extra,
    ]
    return ("\n".join(lines) + "\n").encode()


def test_importing_the_same_export_twice_adds_nothing(alice):
    _c, _p, order = customer_with_project(alice)
    first = services.import_chat(NAME, export(order), alice)
    again = services.import_chat(NAME, export(order), alice)
    assert (first.added, first.skipped) == (4, 0)
    assert (again.added, again.skipped) == (0, 4)
    assert again.chat == first.chat
    assert ChatMessage.objects.count() == 4


def test_a_longer_export_adds_only_the_new_messages(alice):
    _c, _p, order = customer_with_project(alice)
    first = services.import_chat(NAME, export(order), alice)
    longer = export(order, f"16/01/2026, 10:00 - Zhang Wei: {order} picked up by DHL")
    later = services.import_chat("WhatsApp Chat with Zhang Wei (1).txt", longer, alice)
    assert (later.added, later.skipped, later.chat) == (1, 4, first.chat)
    assert [m.text for m in later.messages.all()] == [f"{order} picked up by DHL"]
    assert later.messages.get().links.get().code == order


def test_the_same_chat_from_another_phone_of_the_company_joins_the_archive(alice, manager):
    _c, _p, order = customer_with_project(alice)
    services.import_chat(NAME, export(order), alice, code=order)
    other_phone = (
        f"[15/01/2026, 09:05:10] Alice: Hi Zhang Wei, any news on {order}?\n"
        "[15/01/2026, 09:07:44] +86 138 0013 8000: Final inspection passed, shipping Friday\n"
        "[15/01/2026, 09:08:01] +86 138 0013 8000: ok\n"
        "[15/01/2026, 09:08:30] Alice: ok\n"
        "[15/01/2026, 11:30:00] +86 138 0013 8000: Invoice follows\n"
    ).encode()
    upload = services.import_chat("_chat.txt", other_phone, manager, code=order)
    assert (upload.added, upload.skipped) == (1, 4)
    assert ChatImport.objects.count() == 1


def test_an_export_of_a_chat_hidden_from_the_importer_tells_nothing(alice, bob):
    _c, _p, order = customer_with_project(alice)
    services.import_chat(NAME, export(order), alice, code=order)
    theirs = services.import_chat(NAME, export(order), bob)
    assert (theirs.added, theirs.skipped) == (4, 0)  # as for a chat never seen
    assert theirs.chat != ChatImport.objects.get(uploaded_by=alice)
    assert not ChatMessage.objects.visible_to(bob).filter(chat__uploaded_by=alice).exists()


def test_the_same_title_joins_the_importers_chat_even_with_no_message_in_common(alice):
    _c, _p, order = customer_with_project(alice)
    first = services.import_chat(NAME, export(order), alice)
    cleared = b"20/01/2026, 08:00 - Zhang Wei: new year, new prices\n"
    assert services.import_chat(NAME, cleared, alice).chat == first.chat
    assert services.import_chat("notes.txt", cleared, alice).chat == first.chat  # shared


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("WhatsApp Chat with Zhang Wei.txt", "Zhang Wei"),
        ("WhatsApp Chat - Acme QC (2).zip", "Acme QC"),
        ("WhatsApp-Chat mit Jonas Weber.txt", "Jonas Weber"),
        ("Chat de WhatsApp con Ana.txt", "Ana"),
        ("与 张伟 的 WhatsApp 聊天.txt", "张伟"),
        ("_chat.txt", ""),
        ("chat.txt", ""),
    ],
)
def test_the_chat_title_comes_from_the_export_name(name, title):
    assert services.chat_title(name) == title


def test_an_ambiguous_export_is_saved_only_once_its_date_order_is_chosen(alice):
    text = b"01/02/2024, 10:00 - A: x\n03/04/2024, 11:00 - B: y\n"
    with pytest.raises(services.AmbiguousDates) as asked:
        services.import_chat("chat.txt", text, alice)
    assert set(asked.value.readings) == {"DMY", "MDY"}
    assert "dmy / mdy" in str(asked.value)
    assert ChatUpload.objects.count() == 0
    upload = services.import_chat("chat.txt", text, alice, date_order="MDY")
    assert upload.date_order == "MDY"
    assert upload.messages.first().timestamp.month == 1


def test_two_digit_year_first_exports_are_not_read_as_2009(alice):
    upload = services.import_chat("chat.txt", b"26/03/09, 14:05 - Ander: kaixo\n", alice)
    assert upload.messages.get().timestamp.year == 2026


def test_a_chat_message_is_found_by_search_once_imported(alice, bob):
    _c, _p, order = customer_with_project(alice)
    services.import_chat(NAME, export(order), alice, code=order)
    assert "Final inspection passed" in str(search(alice, "inspection passed"))
    assert "Final inspection passed" not in str(search(bob, "inspection passed"))


def test_unfiled_messages_are_filed_one_or_the_whole_chat(alice, bob):
    _c, project, order = customer_with_project(alice)
    upload = services.import_chat(NAME, export(order), alice)
    waiting = services.unfiled_of(upload.chat, alice)
    assert waiting.count() == 3
    one = waiting.first()
    services.file_chat_messages([one], project, alice)
    assert one.links.get().code == project
    assert services.unfiled_of(upload.chat, alice).count() == 2
    filed = services.file_chat_messages(services.unfiled_of(upload.chat, alice), order, alice)
    assert len(filed) == 2
    assert services.unfiled_of(upload.chat, alice).count() == 0
    assert services.unfiled_chats(alice) == []
    assert "Final inspection" in str(search(alice, "Final inspection"))


def test_bob_cannot_file_under_alices_code(alice, bob):
    from django.core.exceptions import ValidationError

    _c, _p, order = customer_with_project(alice)
    upload = services.import_chat(NAME, b"15/01/2026, 09:05 - Bob: hello\n", bob)
    with pytest.raises(ValidationError):
        services.file_chat_messages(upload.messages.all(), order, bob)
    assert services.unfiled_of(upload.chat, alice).count() == 0  # bob's unfiled is bob's
