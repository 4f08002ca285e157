"""Enquiries by source and the time to their first reply, in the manager's reports."""

import datetime

import pytest
from django.utils import timezone

from tracecode.enquiries.models import Enquiry
from tracecode.enquiries.tests.factories import web_enquiry
from tracecode.reports.figures import Filters, report

pytestmark = pytest.mark.django_db


def test_web_enquiries_are_counted_with_their_reply_time(manager):
    answered, waiting = web_enquiry(), web_enquiry(company_name="Lakeside Hydraulics Inc.")
    Enquiry.objects.filter(pk=answered.pk).update(
        first_reply_at=answered.received_at + datetime.timedelta(hours=6)
    )
    table = report("enquiry-sources", manager, Filters.default()).table("sources")
    web = next(row for row in table.rows if row["count"])
    assert (web["count"], web["answered"], web["median"]) == (2, 1, 6)
    assert table.total["count"] == 2 and waiting.first_reply_at is None


def test_the_period_leaves_out_older_enquiries(manager):
    old = web_enquiry()
    Enquiry.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=800)
    )
    table = report("enquiry-sources", manager, Filters.default()).table("sources")
    assert table.total["count"] == 0


def test_the_page_shows_it_in_both_languages(client_of, manager):
    web_enquiry()
    client = client_of(manager)
    page = client.get("/reports/enquiry-sources/").content.decode()
    assert "Enquiries by source and first reply" in page
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/reports/enquiry-sources/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
