"""The timeline: what kinds with a timeline hold under a code and every code below it, by date."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tracecode.mail import services
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import customer_with_project, mail_bytes
from tracecode.records.tree import timeline

pytestmark = pytest.mark.django_db


def at(day):
    return datetime.datetime(2026, 3, day, 9, 0, tzinfo=datetime.UTC)


def test_the_customer_timeline_holds_its_orders_mails_and_chats_in_date_order(alice, bob):
    customer, project, order = customer_with_project(alice)
    _other, other_project, _x = customer_with_project(alice, "Kowa Seiki")
    for subject, day in [(f"[{order}] later", 5), (f"[{project}] first", 1), (other_project, 2)]:
        services.store_mail(
            mail_bytes(subject=subject, date=at(day)), source=MailMessage.Source.UPLOAD
        )
    services.import_chat("chat.txt", b"3/3/26, 9:05 AM - Zhang Wei: ok\n", alice, code=order)
    items = timeline(customer.code, alice)
    assert [(i.kind.name, getattr(i.item, "subject", None)) for i in items] == [
        ("mail", f"[{project}] first"),
        ("chat", None),
        ("mail", f"[{order}] later"),
    ]
    assert [i.kind.name for i in timeline(order, alice)] == ["chat", "mail"]
    assert timeline(customer.code, bob) == []


def test_the_include_tag_renders_the_timeline(alice):
    _customer, project, _order = customer_with_project(alice)
    services.store_mail(
        mail_bytes(subject=f"[{project}] drawing", date=at(1)), source=MailMessage.Source.UPLOAD
    )
    request = RequestFactory().get("/")
    request.user = alice
    html = Template("{% load records %}{% timeline code %}").render(
        Context({"request": request, "code": project})
    )
    assert f"[{project}] drawing" in html
    assert f"/mail/new/{project}/" in html
