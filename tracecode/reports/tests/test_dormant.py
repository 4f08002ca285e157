"""Customers with no contact or no order for N months."""

import datetime

import pytest

from tracecode.customers.models import Communication
from tracecode.reports import figures

from .helpers import TODAY, confirmed, customer, project, rows_by

pytestmark = pytest.mark.django_db


def ago(days):
    return TODAY - datetime.timedelta(days=days)


def log(c, day):
    Communication.objects.create(customer=c, channel="mail", direction="in", date=day,
                                 summary="hello")  # fmt: skip


def test_quiet_customers_are_those_without_contact_or_order_since_the_cutoff(manager, alice):
    busy = customer(alice, "Busy")
    log(busy, ago(10))
    confirmed(project(busy), ago(20))
    customer(alice, "Silent")  # never anything
    ordering = customer(alice, "Orders but never writes")
    confirmed(project(ordering), ago(30))
    writing = customer(alice, "Writes but stopped ordering")
    log(writing, ago(5))
    confirmed(project(writing), ago(400))
    f = figures.Filters(date_from=ago(365), date_to=TODAY, months=6)
    report = figures.dormant(manager, f, today=TODAY)
    rows = rows_by(report.table("customers"), "company")
    assert set(rows) == {"Silent", "Orders but never writes", "Writes but stopped ordering"}
    assert rows["Writes but stopped ordering"]["no_order"] == "yes"
    assert rows["Writes but stopped ordering"]["no_contact"] == ""
    summary = rows_by(report.table("summary"), "what")
    assert (summary["No contact"]["customers"], summary["No order"]["customers"],
            summary["Neither"]["customers"]) == (2, 2, 1)  # fmt: skip


def test_an_unfiled_mail_does_not_hide_the_quiet_customers(manager, alice):
    from tracecode.mail.models import MailMessage

    MailMessage.objects.create(message_id="<x@example>", subject="Who is this?", source="upload")
    customer(alice, "Silent")
    f = figures.Filters(date_from=ago(365), date_to=TODAY, months=6)
    rows = figures.dormant(manager, f, today=TODAY).table("customers").rows
    assert [(r["company"], r["no_contact"]) for r in rows] == [("Silent", "yes")]
