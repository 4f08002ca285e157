"""The intake queue measures the time to the first reply; enquiries unanswered for longer
than TRACECODE_ENQUIRY_REPLY_HOURS are flagged on the home page of whoever has them; an
accepted enquiry shows on its project's Everything page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tracecode.enquiries import services
from tracecode.enquiries.models import AssignmentRule, Enquiry

from .factories import web_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(alice):
    AssignmentRule.objects.create(kind="turn", assignee=alice)
    enquiry = web_enquiry()
    Enquiry.objects.filter(pk=enquiry.pk).update(
        received_at=timezone.now() - datetime.timedelta(hours=30)
    )
    return Enquiry.objects.get(pk=enquiry.pk)


def test_an_enquiry_without_a_reply_is_overdue_after_the_hours_set(alice, late, settings):
    assert late.is_overdue
    assert list(Enquiry.objects.overdue()) == [late]
    settings.ENQUIRY_REPLY_HOURS = 48
    assert not Enquiry.objects.get(pk=late.pk).is_overdue
    assert not Enquiry.objects.overdue().exists()


def test_the_home_page_flags_overdue_enquiries_for_whoever_has_them(
    alice, bob, manager, late, client_of
):
    page = client_of(alice).get("/").content.decode()
    assert "1 enquiry has had no reply for more than 24 hours." in page
    assert "Ontario Fluid Power Ltd." in page
    assert "Enquiries waiting for a reply" not in client_of(bob).get("/").content.decode()
    assert "1 enquiry has had no reply" in client_of(manager).get("/").content.decode()


def test_a_reply_ends_the_wait_and_its_time_is_measured(alice, late):
    services.mark_replied(late, user=alice)
    late.refresh_from_db()
    assert not late.is_overdue
    assert late.response_time >= datetime.timedelta(hours=30)
    figures = {f.source: f for f in services.figures(alice)}
    assert (figures["web"].count, figures["web"].answered) == (1, 1)
    assert figures["web"].median_hours >= 30


def test_the_queue_filters_by_status_source_and_overdue(alice, late, client_of):
    client = client_of(alice)
    page = client.get(reverse("enquiries:queue")).content.decode()
    assert "Ontario Fluid Power Ltd." in page and "overdue" in page
    assert not client.get(reverse("enquiries:queue") + "?source=mail").context["page_obj"]
    assert client.get(reverse("enquiries:queue") + "?status=all&overdue=1").context["page_obj"]
    assert not client.get(reverse("enquiries:queue") + "?status=rejected").context["page_obj"]


def test_an_accepted_enquiry_is_on_its_projects_everything_page(alice, bob, late, client_of):
    from tracecode.sales.tests.factories import make_customer, make_project

    project = make_project(make_customer(alice, "Ontario Fluid Power Ltd."), alice)
    Enquiry.objects.filter(pk=late.pk).update(
        status="accepted", project=project, customer=project.customer
    )
    page = client_of(alice).get(reverse("records:everything", args=[project.code]))
    assert "Ontario Fluid Power Ltd.: Hydraulic manifold block HM-40" in page.content.decode()
    api = client_of(alice).get(f"/api/everything/{project.code}").json()
    assert "Enquiries" in str(api)
    hidden = client_of(bob).get(reverse("records:everything", args=[project.code]))
    assert hidden.status_code == 404


def test_the_home_page_flags_them_in_chinese(alice, late, client_of):
    client = client_of(alice)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/").content.decode()
    assert "等待回复的询盘" in page
    assert "1 条询盘超过 24 小时未回复。" in page
    queue = client.get(reverse("enquiries:queue")).content.decode()
    assert "须在 24 小时内首次回复" in queue
