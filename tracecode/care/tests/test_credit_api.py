"""/api/care/ and the order's confirm move: credit control for programs."""

import pytest

from tracecode.sales.models import Order

from .helpers import ORDER_CNY, confirmed_order, draft_order, limited_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, token_of):
    def send(user, method, path, body=None):
        headers = {"Authorization": token_of(user)}
        if method == "get":
            return client.get(f"/api/{path}", headers=headers)
        return client.post(f"/api/{path}", body or {}, content_type="application/json",
                           headers=headers)  # fmt: skip

    return send


def test_confirming_over_the_limit_answers_409_credit_blocked_with_the_figures(call, alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)

    answer = call(alice, "post", f"sales/orders/{order.code}/moves/confirm",
                  {"confirmed_on": "2026-01-05"})  # fmt: skip

    assert answer.status_code == 409, answer.content
    error = answer.json()["error"]
    assert error["code"] == "credit_blocked"
    assert error["fields"]["exposure"] == [str(2 * ORDER_CNY)]
    assert error["fields"]["credit_limit"] == ["20000.00"]
    assert error["fields"]["currency"] == ["CNY"]
    assert "exceeds the credit limit" in error["message"]


def test_a_manager_releases_through_the_api_and_the_order_is_confirmed(call, alice, manager):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)
    credit_view = call(alice, "get", f"care/credit/{customer.code}").json()
    assert credit_view["blocked"][0]["order"] == order.code
    assert credit_view["headroom"] == str(20000 - ORDER_CNY)

    released = call(manager, "post", f"care/orders/{order.code}/release",
                    {"reason": "Prepayment received"})  # fmt: skip
    assert released.status_code == 201, released.content
    assert released.json()["released_by"] == "mia"

    moved = call(alice, "post", f"sales/orders/{order.code}/moves/confirm",
                 {"confirmed_on": "2026-01-05"})  # fmt: skip
    assert moved.status_code == 200, moved.content
    assert Order.objects.get(pk=order.pk).state == "confirmed"


def test_a_review_through_the_api_sets_the_limit(call, alice, manager):
    customer = limited_customer(alice)
    made = call(manager, "post", f"care/credit/{customer.code}/assessments",
                {"level": "A", "limit": "80000", "payment_terms": "T/T 30 days"})  # fmt: skip
    assert made.status_code == 201, made.content
    assert call(alice, "get", f"care/credit/{customer.code}").json()["credit_limit"] == "80000.00"


def test_bad_review_fields_answer_422(call, alice, manager):
    customer = limited_customer(alice)
    answer = call(manager, "post", f"care/credit/{customer.code}/assessments",
                  {"level": "Z", "limit": "-5"})  # fmt: skip
    assert answer.status_code == 422
    assert set(answer.json()["error"]["fields"]) == {"level", "limit"}


def test_refusals_are_403_404_and_409(call, alice, bob, manager):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)
    reason = {"reason": "Because"}
    assert call(alice, "post", f"care/orders/{order.code}/release", reason).status_code == 403
    assert call(bob, "post", f"care/orders/{order.code}/release", reason).status_code == 404
    assert call(bob, "get", f"care/credit/{customer.code}").status_code == 404
    fine = draft_order(limited_customer(alice, limit="900000"))
    answer = call(manager, "post", f"care/orders/{fine.code}/release", reason)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_blocked"
    assert call(alice, "post", f"care/credit/{customer.code}/assessments",
                {"level": "A"}).status_code == 403  # fmt: skip
