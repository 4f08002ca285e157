"""The mail API: list by code, detail, file, import, send, WhatsApp; same permissions as pages."""

import pytest

from tracecode.mail import services
from tracecode.mail.models import MailMessage

from .factories import customer_with_project, mail_bytes, mbox_bytes
from .test_outgoing_smtp import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


API = "/api/mail"


def store(raw, owner=None):
    return services.store_mail(raw, source=MailMessage.Source.UPLOAD, owner=owner)


def test_list_by_code_and_detail(alice, bob, client, token_of):
    _c, project, order = customer_with_project(alice)
    mail = store(
        mail_bytes(subject=f"[{order}] drawing", attachments=[("d.txt", b"x", "text", "plain")])
    )
    store(mail_bytes(subject="unrelated"), owner=alice)
    auth = {"Authorization": token_of(alice)}
    body = client.get(f"{API}/?code={project}", headers=auth).json()
    assert body["count"] == 1
    assert body["items"][0]["codes"] == [{"code": order, "how": "subject"}]
    detail = client.get(f"{API}/{mail.pk}", headers=auth).json()
    assert detail["attachments"][0]["filename"] == "d.txt"
    bob_auth = {"Authorization": token_of(bob)}
    assert client.get(f"{API}/{mail.pk}", headers=bob_auth).status_code == 404
    assert client.get(f"{API}/?code={project}", headers=bob_auth).json()["count"] == 0


def test_filing_by_api_with_the_same_messages(alice, client, token_of):
    _c, project, _o = customer_with_project(alice)
    mail = store(mail_bytes(subject="no code"), owner=alice)
    auth = {"Authorization": token_of(alice)}
    bad = client.post(
        f"{API}/{mail.pk}/file", {"code": "RK9999-1"}, "application/json", headers=auth
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["code"] == ["RK9999-1 is not a registered code."]
    good = client.post(f"{API}/{mail.pk}/file", {"code": project}, "application/json", headers=auth)
    assert good.json() == {"filed": [mail.pk]}


def test_import_by_api(alice, client, token_of, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    auth = {"Authorization": token_of(alice)}
    box = SimpleUploadedFile("a.mbox", mbox_bytes(mail_bytes(subject="1"), mail_bytes(subject="2")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/imports", {"files": [box]}, headers=auth)
    assert response.status_code == 202
    progress = client.get(f"{API}/imports/{response.json()['id']}", headers=auth).json()
    assert (progress["status"], progress["imported"], progress["skipped"]) == ("done", 2, 0)


def test_send_by_api(alice, client, token_of, smtp_server):  # noqa: F811
    _c, _p, order = customer_with_project(alice)
    auth = {"Authorization": token_of(alice)}
    payload = {"code": order, "to": "a@b.example", "subject": f"[{order}] hi", "body": "hello"}
    response = client.post(f"{API}/send", payload, "application/json", headers=auth)
    assert response.status_code == 201
    assert response.json()["codes"] == [{"code": order, "how": "sent"}]
    assert len(smtp_server.envelopes) == 1
    bad = client.post(f"{API}/send", {**payload, "to": "nope"}, "application/json", headers=auth)
    assert bad.status_code == 422
    assert "to" in bad.json()["error"]["fields"]


def test_whatsapp_by_api(alice, client, token_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _c, project, _o = customer_with_project(alice)
    auth = {"Authorization": token_of(alice)}
    chat = SimpleUploadedFile("chat.txt", b"1/15/26, 9:05 AM - Zhang Wei: ok\n")
    response = client.post(f"{API}/chats", {"file": chat, "code": project}, headers=auth)
    assert response.status_code == 201
    assert response.json()["filed"] == 1
    bad = SimpleUploadedFile("x.txt", b"nothing\n")
    response = client.post(f"{API}/chats", {"file": bad}, headers=auth)
    assert response.status_code == 422
    assert "x.txt: line 1" in response.json()["error"]["fields"]["file"][0]
