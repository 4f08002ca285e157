"""A mail about a code goes out through a real SMTP server (aiosmtpd on loopback) and is kept."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller

from tracecode.mail import services
from tracecode.mail.models import How, MailMessage

from .factories import customer_with_project, new_contact

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "sales@reko-parts.example"
    yield collector
    controller.stop()


def test_the_subject_is_prefilled_with_the_code(settings):
    assert services.subject_prefix("RK1038-1-S1") == "[RK1038-1-S1] "
    settings.MAIL_SUBJECT_FORMAT = "{code} | "
    assert services.subject_prefix("RK1038-1-S1") == "RK1038-1-S1 | "


def test_the_main_contact_is_the_prefilled_recipient(alice):
    customer, _project, order = customer_with_project(alice)
    new_contact(customer, alice, "Jonas Weber", email="jonas@nordwerk.example")
    assert services.main_contact_email(order) == "jonas@nordwerk.example"


def test_a_mail_is_sent_through_smtp_and_its_copy_filed(alice, smtp_server):
    _customer, _project, order = customer_with_project(alice)
    mail = services.send_mail(
        order,
        alice,
        to=["jonas@nordwerk.example"],
        subject=f"[{order}] Samples shipped",
        body="Dear Jonas,\n\nthe samples left today.",
        attachments=[("packing-list.txt", b"10 pcs bracket", "text/plain")],
    )
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["jonas@nordwerk.example"]
    sent = email.message_from_bytes(envelope.content)
    assert sent["Subject"] == f"[{order}] Samples shipped"
    assert sent["Message-ID"] == mail.message_id
    assert mail.direction == MailMessage.Direction.OUT
    assert mail.source == MailMessage.Source.SENT
    assert [(x.code, x.how) for x in mail.links.all()] == [(order, How.SENT)]
    assert mail.attachments.get().filename == "packing-list.txt"
    assert "samples left today" in mail.text


def test_a_mail_about_a_code_one_may_not_see_is_refused(alice, bob, smtp_server):
    from django.core.exceptions import ValidationError

    _customer, _project, order = customer_with_project(alice)
    with pytest.raises(ValidationError):
        services.send_mail(order, bob, to=["x@y.example"], subject="x", body="y")
    assert smtp_server.envelopes == []
