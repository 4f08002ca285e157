"""Chats through the API, the pages and the command line, as far as each user may see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tracecode.mail.models import ChatMessage, ChatUpload

from .factories import customer_with_project

pytestmark = pytest.mark.django_db

API = "/api/mail/chats"
AMBIGUOUS = b"01/02/2024, 10:00 - Zhang Wei: samples ready\n03/04/2024, 11:00 - Alice: thanks\n"


def chat(order):
    return (
        f"15/01/2026, 09:05 - Alice: {order} shipped?\n"
        "15/01/2026, 09:07 - Zhang Wei: Final inspection passed\n"
    ).encode()


def post(client, token, data, **form):
    file = SimpleUploadedFile("WhatsApp Chat with Zhang Wei.txt", data)
    return client.post(API, {"file": file, **form}, headers={"Authorization": token})


def test_the_api_says_what_a_reimport_added_and_skipped(alice, client, token_of):
    _c, _p, order = customer_with_project(alice)
    first = post(client, token_of(alice), chat(order)).json()
    again = post(client, token_of(alice), chat(order)).json()
    assert (first["added"], first["skipped"], first["filed"]) == (2, 0, 1)
    assert (again["added"], again["skipped"], again["id"]) == (0, 2, first["id"])


def test_an_ambiguous_export_needs_its_date_order_in_the_api(alice, client, token_of):
    refused = post(client, token_of(alice), AMBIGUOUS)
    assert refused.status_code == 422
    [message] = refused.json()["error"]["fields"]["date_order"]
    assert "dmy / mdy" in message
    assert "1 February 2024" in message and "2 January 2024" in message
    assert ChatUpload.objects.count() == 0
    bad = post(client, token_of(alice), AMBIGUOUS, date_order="dym")
    assert bad.status_code == 422
    saved = post(client, token_of(alice), AMBIGUOUS, date_order="dmy")
    assert (saved.status_code, saved.json()["date_order"]) == (201, "dmy")


def test_chat_messages_are_read_by_code_and_bob_sees_none(alice, bob, client, token_of):
    customer, project, order = customer_with_project(alice)
    post(client, token_of(alice), chat(order), code=project)
    auth = {"Authorization": token_of(alice)}
    page = client.get(f"{API}/messages?code={customer.code}&limit=1", headers=auth).json()
    assert page["count"] == 2
    assert [x["code"] for x in page["items"][0]["codes"]] == [project, order]
    second = client.get(f"{API}/messages?code={project}&limit=1&offset=1", headers=auth).json()
    assert second["items"][0]["text"] == "Final inspection passed"
    bobs = client.get(f"{API}/messages?code={project}", headers={"Authorization": token_of(bob)})
    assert bobs.json() == {"items": [], "count": 0}


def test_only_the_codes_a_user_may_see_are_shown(alice, bob, client, token_of):
    _c, _p, alices_order = customer_with_project(alice)
    _c, bobs_project, _o = customer_with_project(bob, "Kowa Seiki")
    text = f"15/01/2026, 09:05 - Zhang Wei: {alices_order} and {bobs_project}\n".encode()
    post(client, token_of(alice), text, code=alices_order)
    message = ChatMessage.objects.get()
    from tracecode.mail import services

    services.file_chat_messages([message], bobs_project, bob.__class__.objects.get(pk=bob.pk))
    items = client.get(
        f"{API}/messages?code={bobs_project}", headers={"Authorization": token_of(bob)}
    )
    assert [x["code"] for x in items.json()["items"][0]["codes"]] == [bobs_project]


def test_unfiled_messages_are_filed_through_the_api_and_bob_cannot(alice, bob, client, token_of):
    _c, project, _o = customer_with_project(alice)
    created = post(client, token_of(alice), b"15/01/2026, 09:05 - Zhang Wei: hello\n").json()
    message = ChatMessage.objects.get()

    def file(url, user):
        return client.post(
            url, {"code": project}, content_type="application/json",
            headers={"Authorization": token_of(user)},
        )  # fmt: skip

    assert file(f"{API}/messages/{message.pk}/file", bob).status_code == 404
    assert file(f"{API}/{created['id']}/file", bob).status_code == 404
    alices = {"Authorization": token_of(alice)}
    unfiled = client.get(f"{API}/messages?unfiled=true", headers=alices).json()
    assert unfiled["count"] == 1
    filed = file(f"{API}/{created['id']}/file", alice)
    assert filed.json() == {"filed": [message.pk]}


def test_the_page_asks_the_date_order_then_imports_the_kept_file(alice, client_of):
    client = client_of(alice)
    file = SimpleUploadedFile("WhatsApp Chat with Zhang Wei.txt", AMBIGUOUS)
    asked = client.post("/mail/whatsapp/", {"file": file})
    page = asked.content.decode()
    assert "day-first (dmy)" in page and "month-first (mdy)" in page
    assert "first message 1 February 2024, last message 3 April 2024" in page
    assert ChatUpload.objects.count() == 0
    held = asked.context["form"].initial["held"]
    done = client.post("/mail/whatsapp/", {"held": held, "date_order": "mdy"}, follow=True)
    assert "WhatsApp Chat with Zhang Wei.txt: 2 new, 0 skipped (already there)." in (
        done.content.decode()
    )
    assert ChatMessage.objects.first().timestamp.month == 1
    again = client.post("/mail/whatsapp/", {"held": held, "date_order": "mdy"})
    assert "Choose the exported chat file again." in again.content.decode()


def test_the_unfiled_page_has_the_chats_and_files_them(alice, bob, client_of):
    _c, project, _o = customer_with_project(alice)
    client = client_of(alice)
    file = SimpleUploadedFile("WhatsApp Chat with Zhang Wei.txt", chat("no code"))
    client.post("/mail/whatsapp/", {"file": file})
    page = client.get("/mail/unfiled/").content.decode()
    assert "Final inspection passed" in page
    assert "Zhang Wei" in page
    assert "Final inspection passed" not in client_of(bob).get("/mail/unfiled/").content.decode()
    message = ChatMessage.objects.first()
    assert (
        client_of(bob)
        .post(f"/mail/whatsapp/messages/{message.pk}/file/", {"code": project})
        .status_code
        == 404
    )
    assert (
        client_of(bob)
        .post(f"/mail/whatsapp/{message.chat_id}/file/", {"code": project})
        .status_code
        == 404
    )
    client = client_of(alice)  # one test client: signed in as alice again
    done = client.post(f"/mail/whatsapp/{message.chat_id}/file/", {"code": project}, follow=True)
    assert f"2 chat messages filed under {project}." in done.content.decode()
    assert "No chat messages wait." in client.get("/mail/unfiled/").content.decode()


def test_the_command_imports_and_says_what_it_skipped(alice, tmp_path, capsys):
    _c, _p, order = customer_with_project(alice)
    path = tmp_path / "WhatsApp Chat with Zhang Wei.txt"
    path.write_bytes(chat(order))
    call_command("mail", "import-chat", str(path), "--user", "alice")
    call_command("mail", "import-chat", str(path), "--user", "alice")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("WhatsApp Chat with Zhang Wei.txt: 2 new, 0 skipped")
    assert out[1].startswith("WhatsApp Chat with Zhang Wei.txt: 0 new, 2 skipped")


def test_the_command_asks_for_the_date_order_of_an_ambiguous_file(tmp_path, capsys, db):
    path = tmp_path / "chat.txt"
    path.write_bytes(AMBIGUOUS)
    with pytest.raises(CommandError) as refused:
        call_command("mail", "import-chat", str(path))
    assert "Give --date-order dmy or --date-order mdy." in str(refused.value)
    call_command("mail", "import-chat", str(path), "--date-order", "dmy")
    assert "dates dmy" in capsys.readouterr().out


def test_a_chat_number_beyond_any_id_finds_nothing(alice, client, token_of):
    _c, _p, order = customer_with_project(alice)
    chat_id = post(client, token_of(alice), chat(order)).json()["id"]
    auth = {"Authorization": token_of(alice)}
    assert client.get(f"{API}/messages?chat={chat_id}", headers=auth).json()["count"] == 2
    beyond = client.get(f"{API}/messages?chat={2**70}", headers=auth)
    assert (beyond.status_code, beyond.json()) == (200, {"items": [], "count": 0})
