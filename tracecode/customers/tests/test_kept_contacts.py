"""A customer's communication frequency (contacts a month over the last three months, the
last six months, what was counted) is kept on the customer (customers/standing.py): moved by
each mail, chat message and log entry, counted again as the months move, and always what the
records add up to."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tracecode.codes import registry
from tracecode.customers import services, standing
from tracecode.customers.models import Communication, Customer
from tracecode.mail import services as mail
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import mail_bytes
from tracecode.sales.tests.factories import make_customer, make_project

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def month_of(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%Y-%m")


def counted_the_long_way(customer, today) -> tuple[Decimal, dict, dict]:
    """Contacts a month, per month (the last six) and per kind, item by item in Python."""
    months = []
    for back in range(6):
        month = today.year * 12 + today.month - 1 - back
        months.append(f"{month // 12}-{month % 12 + 1:02d}")
    per_month, per_kind = {}, {}
    for kind in registry.contact_kinds():
        items = {item.pk: item for item in
                 kind.model._default_manager.filter(**{kind.customer_path: customer})}  # fmt: skip
        if items:
            per_kind[kind.name] = len(items)
        for item in items.values():
            month = month_of(getattr(item, kind.contact))
            if month in months:
                per_month[month] = per_month.get(month, 0) + 1
    recent = sum(per_month.get(m, 0) for m in months[:3])
    return (Decimal(recent) / 3).quantize(Decimal("0.1")), per_month, per_kind


def kept(customer):
    customer = Customer.objects.get(pk=customer.pk)
    return customer.contacts_per_month, customer.contact_figures


@pytest.fixture
def customer(alice):
    return make_customer(alice, name="Kowa Seiki K.K.")


def log(customer, user, day=None, direction="in"):
    entry = Communication(channel="call", direction=direction, summary="About the drawing")
    if day is not None:
        entry.date = day
    return services.log_communication(entry, customer=customer, user=user)


def test_a_new_log_entry_moves_the_kept_frequency(customer, alice):
    assert kept(customer)[0] == 0
    log(customer, alice)
    assert kept(customer)[0] == Decimal("0.3")
    entry = log(customer, alice)
    per_month, figures = kept(customer)
    assert per_month == Decimal("0.7") and figures["counted"] == {"log": 2}
    entry.delete()
    assert kept(customer)[0] == Decimal("0.3")


def test_a_new_mail_and_chat_message_move_it(customer, alice):
    project = make_project(customer)
    today = timezone.localdate()
    mail.store_mail(mail_bytes(subject=f"[{project.code}] drawing", date=at(today)),
                    source=MailMessage.Source.UPLOAD)  # fmt: skip
    assert kept(customer)[1]["counted"] == {"mail": 1}
    mail.import_chat(
        "chat.txt", f"{today:%d/%m/%Y}, 09:05 - Kenji: samples arrived {project.code}\n".encode(),
        alice, date_order="DMY",
    )  # fmt: skip
    per_month, figures = kept(customer)
    assert figures["counted"] == {"mail": 1, "chat": 1} and per_month == Decimal("0.7")
    assert figures["last_in"] == today.isoformat()


def test_the_kept_frequency_equals_the_records_counted(customer, alice, bob):
    other = make_customer(bob, name="Nordwerk Automotive GmbH")
    today = timezone.localdate()
    for back in (0, 3, 20, 45, 70, 100, 150, 170, 200, 400):
        log(customer, alice, today - datetime.timedelta(days=back), "in" if back % 2 else "out")
    for back in (1, 2, 33):
        log(other, bob, today - datetime.timedelta(days=back))
    project = make_project(customer)
    for back in (0, 40, 95):
        mail.store_mail(mail_bytes(subject=f"[{project.code}] {back}",
                                   date=at(today - datetime.timedelta(days=back))),
                        source=MailMessage.Source.UPLOAD)  # fmt: skip
    Customer.objects.update(contacts_per_month=0, contact_figures={})  # counted again for all
    standing.refresh_all()
    for each in (customer, other):
        per_month, figures = kept(each)
        expected, months, kinds = counted_the_long_way(each, today)
        assert per_month == expected and figures["months"] == months
        assert figures["counted"] == kinds


def test_the_months_move_with_the_calendar(customer, alice):
    today = timezone.localdate()
    log(customer, alice, today)
    assert kept(customer)[0] == Decimal("0.3")
    standing.refresh_all(today + datetime.timedelta(days=120))  # the daily count, months on
    assert kept(customer)[0] == 0


def test_the_sheet_and_the_api_show_the_kept_figures_as_of_their_count(customer, alice, client_of,
                                                                       token_of):  # fmt: skip
    log(customer, alice)
    log(customer, alice)
    client = client_of(alice)
    page = client.get(f"/customers/{customer.code}/").content.decode()
    assert 'id="contacts-as-of"' in page and ">0.7<" in page and "communication log 2" in page
    answer = client.get(f"/api/customers/{customer.code}",
                        HTTP_AUTHORIZATION=token_of(alice)).json()  # fmt: skip
    assert answer["figures"]["communication_per_month"] in ("0.7", 0.7)


def test_a_mail_about_two_customers_counts_once_for_each(customer, alice, bob):
    other = make_customer(bob, name="Nordwerk Automotive GmbH")
    mine, theirs = make_project(customer), make_project(other)
    mail.store_mail(mail_bytes(subject=f"[{mine.code}] [{theirs.code}] the same drawing"),
                    source=MailMessage.Source.UPLOAD)  # fmt: skip
    assert kept(customer)[1]["counted"] == kept(other)[1]["counted"] == {"mail": 1}
    today = timezone.localdate()
    assert kept(customer) == (counted_the_long_way(customer, today)[0], kept(customer)[1])


def test_a_log_entry_moved_to_another_customer_leaves_the_first_one_too(customer, alice):
    other = make_customer(alice, name="Lyon Médicale SARL")
    entry = log(customer, alice)
    assert kept(customer)[0] == Decimal("0.3") and kept(other)[0] == 0
    entry.customer = other
    entry.save()
    assert kept(other)[0] == Decimal("0.3")
    assert kept(customer)[0] == 0 and kept(customer)[1].get("counted", {}) == {}
