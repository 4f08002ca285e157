"""Next steps and "My follow-ups": the signed-in user's due and overdue next steps, oldest
first, on their own page and on the home page."""

import datetime

import pytest
from django.utils import timezone

from tracecode.customers import services

from .factories import new_customer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def test_due_and_overdue_next_steps_oldest_first(alice):
    new_customer(alice, "Soon GmbH", next_step_due=days(2))
    new_customer(alice, "Today GmbH", next_step_due=TODAY)
    new_customer(alice, "Late GmbH", next_step_due=days(-10))
    new_customer(alice, "Nothing planned GmbH")
    found = services.follow_ups(alice, today=TODAY)
    assert [c.company_name for c in found] == ["Late GmbH", "Today GmbH"]


def test_only_my_own_customers_not_archived(alice, bob):
    mine = new_customer(alice, "Mine GmbH", next_step_due=days(-1))
    new_customer(bob, "Bobs GmbH", next_step_due=days(-1), shared_with=[alice])
    archived = new_customer(alice, "Old GmbH", next_step_due=days(-3))
    services.archive_customer(archived, user=alice)
    assert list(services.follow_ups(alice, today=TODAY)) == [mine]


def test_a_next_step_set_on_the_sheet_due_today_is_in_my_follow_ups(client_of, alice):
    new_customer(alice, "Lyon Précision Médicale SARL", country="FR")
    client = client_of(alice)
    today = timezone.localdate()
    response = client.post(
        "/customers/RK001/follow-up/",
        {"next_step": "Follow up after sample shipment", "next_step_due": today.isoformat(),
         "status": "", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/customers/follow-ups/").content.decode()
    assert "Follow up after sample shipment" in page and "RK001" in page
    home = client.get("/").content.decode()
    assert "My follow-ups due" in home and "Follow up after sample shipment" in home


def test_a_bad_due_date_is_shown_on_its_field(client_of, alice):
    new_customer(alice)
    response = client_of(alice).post(
        "/customers/RK001/follow-up/", {"next_step": "Call", "next_step_due": "next week",
                                        "version": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "next_step_due" in response.context["form"].errors
    assert 'value="next week"' in response.content.decode()


def test_next_steps_due_after_today_are_listed_as_upcoming(alice, bob):
    new_customer(alice, "Soon GmbH", next_step_due=days(2), next_step="Send the revised PI")
    new_customer(alice, "Later GmbH", next_step_due=days(30))
    new_customer(alice, "Late GmbH", next_step_due=days(-1))
    new_customer(bob, "Bobs GmbH", next_step_due=days(3), shared_with=[alice])
    found = services.upcoming_follow_ups(alice, today=TODAY)
    assert [c.company_name for c in found] == ["Soon GmbH", "Later GmbH"]


@pytest.mark.parametrize("language, heading", [("en", "Coming up"), ("zh-hans", "即将到期")])
def test_my_follow_ups_page_shows_what_is_coming(client_of, alice, language, heading):
    today = timezone.localdate()
    new_customer(alice, "Soon GmbH", next_step_due=today + datetime.timedelta(days=5),
                 next_step="Call about the mass order")  # fmt: skip
    client = client_of(alice)
    client.cookies["django_language"] = language
    text = client.get("/customers/follow-ups/").content.decode()
    assert heading in text
    assert "Call about the mass order" in text and "Soon GmbH" in text
