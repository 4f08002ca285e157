"""Mail as a working tool, in Chromium: replying to a customer's mail with the order's PI
ticked and a file from the computer while no mail server answers (the page says so; nothing
typed or attached is lost), then sending it once one does; the reply stays in the thread."""

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tracecode.enquiries.tests.translations import install_pending
from tracecode.mail import services
from tracecode.mail.defaults import seed
from tracecode.mail.models import MailMessage, MailTemplate
from tracecode.mail.tests.factories import mail_bytes
from tracecode.mail.tests.test_outgoing_smtp import Collector, free_port
from tracecode.sales.models import Document
from tracecode.sales.tests.factories import make_customer, make_order, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    install_pending()
    seed(MailTemplate)  # transactional tests start from empty tables


def smtp_at(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    services.forget_server_status()


def test_a_reply_with_the_pi_survives_a_missing_mail_server(
    page, sign_in, alice, settings, tmp_path
):
    order = make_order(make_project(make_customer(alice), alice), user=alice)
    pi = Document.objects.create(
        order=order, kind="PI", version=1,
        pdf=ContentFile(b"%PDF-1.4 PI", name=f"{order.code} PI.pdf"),
        xlsx=ContentFile(b"PK", name=f"{order.code} PI.xlsx"),
    )  # fmt: skip
    mail = services.store_mail(
        mail_bytes(
            subject=f"[{order.code}] Please send the PI", message_id="<pi@nordwerk.example>"
        ),
        source=MailMessage.Source.IMAP,
    )
    port = free_port()
    smtp_at(settings, port)
    extra = tmp_path / "bank letter.pdf"
    extra.write_bytes(b"%PDF-1.4 bank letter")

    sign_in(alice)
    page.goto(f"/mail/{mail.pk}/")
    page.get_by_role("link", name="Reply", exact=True).click()
    expect(page.get_by_test_id("no-mail-server")).to_contain_text(
        f"no mail server answers at 127.0.0.1:{port}."
    )
    expect(page.get_by_test_id("no-mail-server")).to_contain_text("TRACECODE_SMTP_HOST")
    expect(page.get_by_label("Subject")).to_have_value(f"Re: [{order.code}] Please send the PI")
    page.get_by_label("Text").fill("Dear Jonas,\n\nthe PI is attached.\n\nAlice")
    page.get_by_label(pi.pdf.name.rsplit("/", 1)[-1]).check()
    page.get_by_label("Attach files from your computer").set_input_files(str(extra))
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_test_id("send-problem")).to_contain_text("The mail could not be sent")
    expect(page.get_by_test_id("send-problem")).not_to_contain_text("Errno")
    expect(page.get_by_label("Text")).to_have_value("Dear Jonas,\n\nthe PI is attached.\n\nAlice")
    expect(page.get_by_label(pi.pdf.name.rsplit("/", 1)[-1])).to_be_checked()
    expect(page.get_by_label("bank letter.pdf")).to_be_checked()

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_at(settings, controller.port)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("alert").first).to_contain_text(
            f"Mail sent and filed under {order.code}."
        )
    finally:
        controller.stop()
    out = email.message_from_bytes(collector.envelopes[0].content, policy=email.policy.default)
    assert out["In-Reply-To"] == "<pi@nordwerk.example>"
    assert {p.get_filename() for p in out.iter_attachments()} == {
        "bank letter.pdf",
        pi.pdf.name.rsplit("/", 1)[-1],
    }
    # the sent reply's page shows its thread: the customer's mail above it
    expect(page.get_by_role("link", name=f"[{order.code}] Please send the PI")).to_be_visible()
