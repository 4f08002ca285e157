"""Last contact, contacts per month and the response status count every kind of contact:
mails in and out, chat messages and the communication log, not the log alone."""

import datetime

import pytest
from django.utils import timezone

from tracecode.customers import services
from tracecode.customers.models import Communication
from tracecode.mail import services as mail
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import mail_bytes
from tracecode.sales.tests.factories import make_customer, make_project

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def summary_of(customer):
    """The sheet's summary, from the figures kept on the customer as they are now."""
    customer.refresh_from_db()
    return services.communication_summary(customer)


@pytest.fixture
def customer(alice):
    return make_customer(alice, name="Kowa Seiki K.K.")


def test_mails_and_chats_count_as_contact(alice, customer):
    today = timezone.localdate()
    project = make_project(customer)
    entry = Communication(channel="call", direction="in", summary="Called about the drawing")
    services.log_communication(entry, customer=customer, user=alice)
    Communication.objects.filter(pk=entry.pk).update(date=today - datetime.timedelta(days=40))
    mail.store_mail(
        mail_bytes(
            subject=f"[{project.code}] drawing", date=at(today - datetime.timedelta(days=3))
        ),
        source=MailMessage.Source.UPLOAD,
    )
    day = today - datetime.timedelta(days=1)
    mail.import_chat(
        "chat.txt",
        f"{day:%d/%m/%Y}, 09:05 - Kenji: samples arrived {project.code}\n".encode(),
        alice,
        date_order="DMY",
    )
    summary = summary_of(customer)
    assert summary.last_contact == day
    assert summary.total == 3
    assert dict((str(what), n) for what, n in summary.counted) == {
        "Mails": 1, "Chat messages": 1, "Communication log": 1,
    }  # fmt: skip
    assert summary.months[-1][1] + summary.months[-2][1] >= 2


def test_a_mail_we_sent_without_answer_is_no_reply(alice, customer):
    project = make_project(customer)
    today = timezone.localdate()
    mail.store_mail(
        mail_bytes(
            subject=f"[{project.code}] question", date=at(today - datetime.timedelta(days=5))
        ),
        source=MailMessage.Source.UPLOAD,
    )
    sent = mail.store_mail(
        mail_bytes(
            subject=f"[{project.code}] quotation", date=at(today - datetime.timedelta(days=2))
        ),
        source=MailMessage.Source.SENT,
        direction=MailMessage.Direction.OUT,
    )
    assert sent is not None
    assert summary_of(customer).response_status == "no_reply"
    mail.store_mail(
        mail_bytes(subject=f"Re: [{project.code}] quotation", date=at(today, 15)),
        source=MailMessage.Source.UPLOAD,
    )
    assert summary_of(customer).response_status == "reply_received"


def test_the_list_sorts_by_the_last_mail_too(alice, customer):
    quiet = make_customer(alice, name="Quiet Customer Ltd")
    project = make_project(customer)
    mail.store_mail(mail_bytes(subject=f"[{project.code}] hello"), source=MailMessage.Source.UPLOAD)
    found = list(services.filter_customers(alice, {"sort": "-last_contact"}))
    assert [c.code for c in found] == [customer.code, quiet.code]
    assert found[0].last_contact == timezone.localdate() and found[1].last_contact is None


def test_the_sheet_says_what_it_counted(client_of, alice, customer):
    page = client_of(alice).get(f"/customers/{customer.code}/").content.decode()
    assert 'id="contact-counted"' in page and "mails 0" in page and "chat messages 0" in page
