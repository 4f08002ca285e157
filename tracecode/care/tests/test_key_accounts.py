"""Key accounts: a manager names the owner and the rhythm, the owner writes the yearly plan
and records visits in the communication log, and an overdue visit is among her follow-ups."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tracecode.care import services
from tracecode.care.models import KeyAccount, Visit
from tracecode.sales.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def weeks_ago(n):
    return today() - datetime.timedelta(weeks=n)


def key_account(owner, manager, since=None, **extra):
    customer = make_customer(owner, **extra)
    account = services.designate(
        customer, user=manager, owner=owner, visit_weeks=8, return_visit_weeks=2
    )
    if since:
        KeyAccount.objects.filter(pk=account.pk).update(since=since)
        account.refresh_from_db()
    return account


def test_a_manager_makes_a_customer_a_key_account_with_an_owner(alice, manager):
    account = key_account(alice, manager)
    assert account.owner == alice and account.customer.is_key_account
    account.customer.refresh_from_db()
    assert account.customer.is_key_account


def test_a_salesperson_cannot_name_key_accounts(alice):
    with pytest.raises(PermissionDenied):
        services.designate(make_customer(alice), user=alice, owner=alice, visit_weeks=4,
                           return_visit_weeks=2)  # fmt: skip


def test_a_visit_is_recorded_in_the_communication_log_with_purpose_and_outcome(alice, manager):
    account = key_account(alice, manager)
    visit = services.record_visit(
        account.customer, user=alice, kind="visit", date=today(),
        purpose="Annual business review", outcome="Forecast of 40k pcs for 2027",
    )  # fmt: skip
    entry = account.customer.communications.get()
    assert entry.channel == "visit" and entry.created_by == alice and entry.date == today()
    assert "Annual business review" in entry.summary and "40k pcs" in entry.summary
    assert entry.visit == visit


def test_the_next_visit_is_due_the_set_weeks_after_the_last(alice, manager):
    account = key_account(alice, manager, since=weeks_ago(20))
    services.record_visit(account.customer, user=alice, kind="visit", date=weeks_ago(3),
                          purpose="Line audit")  # fmt: skip
    rhythm = services.rhythm(account)
    assert rhythm.next_visit == weeks_ago(3) + datetime.timedelta(weeks=8)
    assert not rhythm.visit_overdue
    assert rhythm.return_overdue  # two weeks after the visit have passed


def test_an_overdue_visit_is_among_the_owners_follow_ups(client_of, alice, bob, manager):
    account = key_account(alice, manager, since=weeks_ago(10), name="Nordwerk GmbH")
    assert [r.account for r in services.visits_due(alice)] == [account]
    assert services.visits_due(bob) == []
    page = client_of(alice).get("/customers/follow-ups/").content.decode()
    assert "Key account visits due" in page and account.customer.code in page


def test_a_visited_account_is_not_due(alice, manager):
    account = key_account(alice, manager, since=weeks_ago(10))
    services.record_visit(account.customer, user=alice, kind="visit", date=today(), purpose="x")
    assert services.visits_due(alice) == []


def test_the_owner_writes_the_yearly_plan_on_the_page(client_of, alice, manager):
    account = key_account(alice, manager)
    client = client_of(alice)
    answer = client.post(f"/care/accounts/{account.customer.code}/plan/", {
        "year": today().year, "goals": "Grow to CNY 2m", "actions": "Quarterly visits",
        "progress": "Q1 visit done", "percent_done": "25",
    })  # fmt: skip
    assert answer.status_code == 302
    page = client.get(f"/care/accounts/{account.customer.code}/").content.decode()
    assert "Grow to CNY 2m" in page and "25% done" in page


def test_visits_are_recorded_on_the_page_and_a_future_date_is_refused(client_of, alice, manager):
    account = key_account(alice, manager)
    client = client_of(alice)
    url = f"/care/accounts/{account.customer.code}/visit/"
    future = client.post(url, {"kind": "visit", "date": (today() + datetime.timedelta(days=3)),
                               "purpose": "Plan"})  # fmt: skip
    assert future.status_code == 422 and not Visit.objects.exists()
    client.post(url, {"kind": "return", "date": today(), "purpose": "How was the delivery?",
                      "outcome": "All fine"})  # fmt: skip
    assert Visit.objects.get().kind == "return"


def test_bob_cannot_see_or_work_on_alices_key_account(client_of, alice, bob, manager):
    account = key_account(alice, manager)
    client = client_of(bob)
    code = account.customer.code
    assert client.get(f"/care/accounts/{code}/").status_code == 404
    assert client.post(f"/care/accounts/{code}/visit/", {"purpose": "x"}).status_code == 404
    assert client.post(f"/care/accounts/{code}/plan/", {"year": 2026}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_visit(account.customer, user=bob, kind="visit", date=today(), purpose="x")


def test_the_key_account_through_the_api(client, token_of, alice, bob, manager):
    customer = make_customer(alice)

    def call(user, method, path, body=None):
        return getattr(client, method)(f"/api/care/{path}", body, content_type="application/json",
                                       headers={"Authorization": token_of(user)})  # fmt: skip

    body = {"owner": "alice", "visit_weeks": 6, "return_visit_weeks": 2}
    assert call(alice, "put", f"accounts/{customer.code}", body).status_code == 403
    made = call(manager, "put", f"accounts/{customer.code}", body)
    assert made.status_code == 200, made.content
    assert made.json()["owner"] == "alice"
    assert call(manager, "put", f"accounts/{customer.code}", {**body, "owner": "bob"}
                ).status_code == 422  # bob does not see the customer  # fmt: skip
    plan = call(alice, "put", f"accounts/{customer.code}/plans/2026",
                {"goals": "Win the pump housing", "actions": "Samples in May"})  # fmt: skip
    assert plan.status_code == 200, plan.content
    visit = call(alice, "post", f"visits/{customer.code}", {"purpose": "Kick-off"})
    assert visit.status_code == 201 and visit.json()["visited_by"] == "alice"
    account = call(alice, "get", f"accounts/{customer.code}").json()
    assert account["plans"][0]["goals"] == "Win the pump housing"
    assert account["last_visit"] == today().isoformat()
    assert call(bob, "get", f"accounts/{customer.code}").status_code == 404
    assert call(bob, "post", f"visits/{customer.code}", {"purpose": "x"}).status_code == 404
    due = call(alice, "get", "accounts/visits-due")
    assert due.status_code == 200 and due.json()["count"] == 0
