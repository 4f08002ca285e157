"""Without a mail server (as after `make run`: SMTP on a loopback port where nothing
listens) the compose page says so and how to set one up; a send that fails keeps
everything typed, ticked and uploaded, and goes out once a server answers."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tracecode.mail import services
from tracecode.mail.models import DraftAttachment, MailDraft, MailMessage
from tracecode.sales.models import Document
from tracecode.sales.tests.factories import make_customer, make_order, make_project

from .test_outgoing_smtp import Collector, free_port

pytestmark = pytest.mark.django_db


def smtp_at(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    services.forget_server_status()


@pytest.fixture
def nothing_listens(settings):
    port = free_port()
    smtp_at(settings, port)
    return port


@pytest.fixture
def order(alice):
    order = make_order(make_project(make_customer(alice), alice), user=alice)
    Document.objects.create(
        order=order, kind="PI", version=1,
        pdf=ContentFile(b"%PDF-1.4 PI", name="PI.pdf"), xlsx=ContentFile(b"PK", name="PI.xlsx"),
    )  # fmt: skip
    return order


def test_the_compose_page_says_there_is_no_mail_server_and_how_to_set_one(
    alice, order, client_of, nothing_listens
):
    page = client_of(alice).get(reverse("mail:compose", args=[order.code])).content.decode()
    assert "Mails cannot be sent yet:" in page
    assert f"no mail server answers at 127.0.0.1:{nothing_listens}." in page
    assert "TRACECODE_SMTP_HOST" in page and "TRACECODE_MAIL_FROM" in page
    assert "Errno" not in page


def test_a_mail_server_that_answers_is_not_mentioned(alice, order, client_of, settings):
    controller = Controller(Collector(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_at(settings, controller.port)
        page = client_of(alice).get(reverse("mail:compose", args=[order.code])).content.decode()
    finally:
        controller.stop()
    assert "Mails cannot be sent yet" not in page


def test_a_failed_send_keeps_everything_and_goes_out_later(
    alice, order, client_of, settings, nothing_listens
):
    client = client_of(alice)
    pi = order.documents.get()
    typed = {
        "to": "jonas@nordwerk.example",
        "subject": f"[{order.code}] PI and drawing",
        "body": "Dear Jonas,\n\nplease find the PI and the drawing attached.",
        "files": [f"document:{pi.pk}:pdf"],
    }
    upload = SimpleUploadedFile("bracket-rev-C.pdf", b"%PDF-1.4 rev C", "application/pdf")
    failed = client.post(
        reverse("mail:compose", args=[order.code]), {**typed, "attachments": upload}
    )

    page = failed.content.decode()
    assert failed.status_code == 200
    assert (
        f"The mail could not be sent: no mail server answers at 127.0.0.1:{nothing_listens}."
        in page
    )
    assert "Errno" not in page
    draft = MailDraft.objects.get(owner=alice)
    held = draft.attachments.get()
    assert (held.filename, default_storage.open(held.file.name).read()) == (
        "bracket-rev-C.pdf",
        b"%PDF-1.4 rev C",
    )
    assert "please find the PI and the drawing attached." in page
    assert f'value="{typed["subject"]}"' in page
    assert f'value="document:{pi.pk}:pdf" id="pick-2-1" checked' in page  # still ticked
    assert f'value="held:{held.pk}" id="pick-1-1" checked' in page  # the upload, kept
    assert not MailMessage.objects.exists()

    listed = client.get(reverse("mail:drafts")).content.decode()
    assert typed["subject"] in listed

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_at(settings, controller.port)
        again = client.post(
            reverse("mail:compose", args=[order.code]),
            {**typed, "draft": draft.pk, "files": [f"document:{pi.pk}:pdf", f"held:{held.pk}"]},
        )
    finally:
        controller.stop()
    assert again.status_code == 302
    out = email.message_from_bytes(collector.envelopes[0].content, policy=email.policy.default)
    assert sorted(p.get_filename() for p in out.iter_attachments()) == [
        "PI.pdf",
        "bracket-rev-C.pdf",
    ]
    assert not MailDraft.objects.exists() and not DraftAttachment.objects.exists()
    assert not default_storage.exists(held.file.name)


def test_an_unsent_mail_is_its_writers_only(alice, bob, order, client_of, nothing_listens):
    client_of(alice).post(
        reverse("mail:compose", args=[order.code]),
        {"to": "jonas@nordwerk.example", "subject": "x", "body": "y"},
    )
    draft = MailDraft.objects.get()
    assert client_of(bob).get(reverse("mail:draft", args=[draft.pk])).status_code == 404
    bobs_page = client_of(bob).get(
        reverse("mail:compose", args=[order.code]) + f"?draft={draft.pk}"
    )
    assert bobs_page.status_code == 404  # bob may not see the order at all
    assert client_of(alice).get(reverse("mail:draft", args=[draft.pk])).status_code == 302


def test_the_api_answers_502_with_the_reason_and_no_errno(
    alice, order, client, token_of, nothing_listens
):
    response = client.post(
        "/api/mail/send",
        {"code": order.code, "to": "a@b.example", "subject": "x", "body": "y"},
        "application/json",
        headers={"Authorization": token_of(alice)},
    )
    assert response.status_code == 502
    message = response.json()["error"]["message"]
    assert message == (
        f"The mail could not be sent: no mail server answers at 127.0.0.1:{nothing_listens}."
    )
    server = client.get("/api/mail/server", headers={"Authorization": token_of(alice)}).json()
    assert server == {
        "ok": False,
        "address": f"127.0.0.1:{nothing_listens}",
        "problem": f"no mail server answers at 127.0.0.1:{nothing_listens}.",
    }


def test_the_compose_page_says_so_in_chinese(alice, order, client_of, nothing_listens):
    from tracecode.enquiries.tests.translations import install_pending

    install_pending()
    client = client_of(alice)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("mail:compose", args=[order.code])).content.decode()
    assert "目前还不能发送邮件：" in page
    assert f"127.0.0.1:{nothing_listens} 没有邮件服务器响应。" in page
    failed = client.post(
        reverse("mail:compose", args=[order.code]),
        {"to": "jonas@nordwerk.example", "subject": "x", "body": "y"},
    ).content.decode()
    assert "邮件未能发送：" in failed
