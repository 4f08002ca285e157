"""POST /api/mail/send with attachments (base64 in JSON) through a real SMTP server on loopback.

The sent copy, attachments included, is filed under the code and shows in the timeline; bad
base64 and too much are 422 with the field named; a code one may not see is 404.
"""

import base64
import email

import pytest
from django.urls import reverse

from tracecode.mail import services
from tracecode.mail.models import MailMessage
from tracecode.records.tree import timeline

from .factories import customer_with_project
from .test_outgoing_smtp import smtp_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

URL = "/api/mail/send"
DRAWING = b"%PDF-1.4\n" + bytes(range(256)) * 40  # binary, not text
PACKING = "10 pcs 支架 / bracket\n".encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def payload(order, **changes):
    return {
        "code": order,
        "to": "jonas@nordwerk.example",
        "subject": f"[{order}] Drawing and packing list",
        "body": "Dear Jonas,\n\nplease find both files attached.",
        "attachments": [
            {"name": "drawing-A12.pdf", "content_type": "application/pdf",
             "content_base64": b64(DRAWING)},
            {"name": "装箱单.txt", "content_type": "text/plain; charset=utf-8",
             "content_base64": base64.encodebytes(PACKING).decode()},  # wrapped lines are fine
        ],
        **changes,
    }  # fmt: skip


def post(client, token, body):
    return client.post(URL, body, "application/json", headers={"Authorization": token})


def test_attachments_are_sent_and_the_copy_lands_in_the_timeline(
    alice,
    client,
    token_of,
    smtp_server,  # noqa: F811
):
    customer, _project, order = customer_with_project(alice)
    response = post(client, token_of(alice), payload(order))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["codes"] == [{"code": order, "how": "sent"}]
    assert body["direction"] == "out"
    assert [(a["filename"], a["size"]) for a in body["attachments"]] == [
        ("drawing-A12.pdf", len(DRAWING)),
        ("装箱单.txt", len(PACKING)),
    ]

    # What the SMTP server received carries both files, byte for byte.
    [envelope] = smtp_server.envelopes
    sent = email.message_from_bytes(envelope.content, policy=email.policy.default)
    received = {p.get_filename(): p.get_content() for p in sent.iter_attachments()}
    assert received["drawing-A12.pdf"] == DRAWING
    assert (
        received["装箱单.txt"].replace("\r\n", "\n") == PACKING.decode()
    )  # text: CRLF on the wire
    assert sent["Message-ID"] == body["message_id"]

    # The stored copy: the files can be downloaded as they were sent.
    auth = {"Authorization": token_of(alice)}
    client.force_login(alice)
    download = client.get(body["attachments"][0]["url"], headers=auth)
    assert b"".join(download.streaming_content) == DRAWING

    # …and the customer's timeline shows the sent mail with its attachments.
    [item] = timeline(customer.code, alice)
    assert item.item.pk == body["id"]
    assert sorted(a.filename for a in item.item.attachments.all()) == [
        "drawing-A12.pdf",
        "装箱单.txt",
    ]
    page = client.get(reverse("customers:detail", args=[customer.code])).content.decode()
    assert f"[{order}] Drawing and packing list" in page


def test_bad_base64_is_a_422_naming_the_file(alice, client, token_of, smtp_server):  # noqa: F811
    _c, _p, order = customer_with_project(alice)
    body = payload(order)
    body["attachments"][1]["content_base64"] = "not base64 at all!"
    response = post(client, token_of(alice), body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["attachments"] == ["装箱单.txt: the content is not valid base64."]
    assert smtp_server.envelopes == []
    assert not MailMessage.objects.exists()


def test_a_missing_content_is_a_422(alice, client, token_of, smtp_server):  # noqa: F811
    _c, _p, order = customer_with_project(alice)
    body = payload(order, attachments=[{"name": "x.pdf"}])
    response = post(client, token_of(alice), body)
    assert response.status_code == 422
    assert "attachments.0.content_base64" in response.json()["error"]["fields"]
    assert smtp_server.envelopes == []


def test_too_much_is_a_422_and_nothing_is_sent(
    alice,
    client,
    token_of,
    smtp_server,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(services, "SEND_ATTACHMENTS_LIMIT", 10_000)
    _c, _p, order = customer_with_project(alice)
    # Two files under the limit each, over it together: the form's check (as on the page).
    body = payload(order, attachments=[
        {"name": "a.bin", "content_base64": b64(b"a" * 6_000)},
        {"name": "b.bin", "content_base64": b64(b"b" * 6_000)},
    ])  # fmt: skip
    response = post(client, token_of(alice), body)
    assert response.status_code == 422
    [message] = response.json()["error"]["fields"]["attachments"]
    assert message.startswith("The attachments come to 11.7") and "at most 9.8\xa0KB" in message
    # Far too much is refused before it is decoded.
    body = payload(order, attachments=[{"name": "big.bin", "content_base64": "QUFB" * 20_000}])
    response = post(client, token_of(alice), body)
    assert response.status_code == 422
    assert "at most 9.8\xa0KB" in response.json()["error"]["fields"]["attachments"][0]
    assert smtp_server.envelopes == []
    assert not MailMessage.objects.exists()


def test_the_page_refuses_too_much_with_the_same_message(alice, client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(services, "SEND_ATTACHMENTS_LIMIT", 10_000)
    _c, _p, order = customer_with_project(alice)
    client.force_login(alice)
    response = client.post(
        reverse("mail:compose", args=[order]),
        {"to": "a@b.example", "subject": "x", "body": "y",
         "attachments": [SimpleUploadedFile("big.bin", b"x" * 12_000)]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The attachments come to 11.7" in response.content.decode()


def test_a_code_one_may_not_see_is_404_and_nothing_is_sent(
    alice,
    bob,
    client,
    token_of,
    smtp_server,  # noqa: F811
):
    _c, _p, order = customer_with_project(alice)
    hidden = post(client, token_of(bob), payload(order))
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    unknown = post(client, token_of(alice), payload("RK9999-1-S1"))
    assert unknown.status_code == 404
    assert smtp_server.envelopes == []
    assert not MailMessage.objects.exists()


def test_a_viewer_who_sees_the_code_may_not_send(alice, viewer, client, token_of, smtp_server):  # noqa: F811
    from tracecode.customers.models import CustomerShare

    customer, _p, order = customer_with_project(alice)
    CustomerShare.objects.create(customer=customer, user=viewer)
    response = post(client, token_of(viewer), payload(order))
    assert response.status_code == 403
    assert smtp_server.envelopes == []


def test_an_smtp_server_that_is_down_is_a_502(alice, client, token_of, settings):
    from .test_outgoing_smtp import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    _c, _p, order = customer_with_project(alice)
    response = post(client, token_of(alice), payload(order))
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "mail_not_sent"
    assert error["message"].startswith("The mail could not be sent:")
    assert not MailMessage.objects.exists()


def test_a_body_above_the_request_limit_is_a_413_in_the_error_shape(
    alice,
    client,
    token_of,
    settings,
    smtp_server,  # noqa: F811
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    _c, _p, order = customer_with_project(alice)
    response = post(client, token_of(alice), payload(order))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert smtp_server.envelopes == []
