"""The archive kept current: each sheet has a review due date, the sheets not reviewed for
twelve months are listed, and a review records who and when."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tracecode.care import services
from tracecode.care.models import SheetReview
from tracecode.customers.models import Customer
from tracecode.sales.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def created_days_ago(customer, n):
    then = timezone.now() - datetime.timedelta(days=n)
    Customer.objects.filter(pk=customer.pk).update(created_at=then)
    customer.refresh_from_db()
    return customer


def test_a_new_sheet_is_due_a_year_after_it_was_created(alice):
    customer = make_customer(alice)
    assert services.review_due(customer) == today() + datetime.timedelta(days=365)
    assert services.sheets_due(alice) == []


def test_a_sheet_not_reviewed_for_twelve_months_is_listed(alice):
    old = created_days_ago(make_customer(alice, name="Old GmbH"), 400)
    make_customer(alice, name="New GmbH")
    assert [c for c, _due in services.sheets_due(alice)] == [old]


def test_reviewing_records_who_and_when_and_moves_the_due_date(alice):
    old = created_days_ago(make_customer(alice), 400)
    review = services.review_sheet(old, user=alice, note="Phone numbers checked")
    assert (review.reviewed_by, review.next_due) == (alice, today() + datetime.timedelta(days=365))
    assert services.sheets_due(alice) == []


def test_bob_neither_sees_nor_reviews_alices_sheets(client_of, alice, bob):
    old = created_days_ago(make_customer(alice), 400)
    assert services.sheets_due(bob) == []
    with pytest.raises(PermissionDenied):
        services.review_sheet(old, user=bob)
    assert client_of(bob).post(f"/care/reviews/{old.code}/").status_code == 404
    assert not SheetReview.objects.exists()


def test_the_sheet_shows_the_due_date_and_the_review_button_works(client_of, alice):
    old = created_days_ago(make_customer(alice), 400)
    client = client_of(alice)
    assert old.code in client.get("/care/reviews/").content.decode()
    client.post(f"/care/reviews/{old.code}/", {"note": "All current"})
    page = client.get(old.get_absolute_url()).content.decode()
    assert 'id="last-review">' + today().isoformat() in page
    assert old.code not in client.get("/care/reviews/").content.decode()


def test_reviews_through_the_api(client, token_of, alice, bob):
    old = created_days_ago(make_customer(alice), 400)

    def call(user, method, path, body=None):
        return getattr(client, method)(f"/api/care/{path}", body, content_type="application/json",
                                       headers={"Authorization": token_of(user)})  # fmt: skip

    due = call(alice, "get", "reviews/due").json()
    assert due["count"] == 1 and due["items"][0]["customer"] == old.code
    assert call(bob, "post", f"reviews/{old.code}", {}).status_code == 404
    past = call(alice, "post", f"reviews/{old.code}", {"next_due": "2020-01-01"})
    assert past.status_code == 422
    made = call(alice, "post", f"reviews/{old.code}", {"note": "ok"})
    assert made.status_code == 201 and made.json()["reviewed_by"] == "alice"
    assert call(alice, "get", f"reviews/{old.code}").json()["reviews"][0]["note"] == "ok"
