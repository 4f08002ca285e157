"""/api/reports/: the same numbers as the pages, the same filters and refusals."""

from decimal import Decimal

import pytest

from tracecode.reports import figures

from .helpers import TODAY, confirmed, customer, d, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, token_of):
    def get(user, path, **params):
        return client.get(f"/api/reports/{path}", params, headers={"Authorization": token_of(user)})

    return get


@pytest.fixture
def sales(alice, bob):
    confirmed(project(customer(alice, "Alice's customer")), d("2026-06-01"), "100", "EUR")
    confirmed(project(customer(bob, "Bob's customer")), d("2026-06-01"), "200", "CNY")


def test_a_report_answers_the_tables_and_charts_of_the_page(sales, api, manager):
    answer = api(manager, "orders", date_from="2026-01-01", date_to="2026-12-31").json()
    page = figures.orders_by_month(manager, figures.Filters(d("2026-01-01"), d("2026-12-31")))
    table = answer["tables"][0]
    assert table["key"] == "months" and len(table["rows"]) == 12
    assert Decimal(table["total"]["value"]) == page.table("months").total["value"] == Decimal(
        "975.00")  # fmt: skip
    chart = answer["charts"][0]
    assert chart["datasets"][0]["data"] == [float(r["value"]) for r in page.table("months").rows]
    assert answer["base_currency"] == "CNY" and answer["filters"]["date_from"] == "2026-01-01"


def test_alice_gets_her_figures_only(sales, api, alice):
    answer = api(alice, "pareto", date_from="2026-01-01").json()
    assert [r["company"] for r in answer["tables"][1]["rows"]] == ["Alice's customer"]


def test_bad_filters_answer_422_naming_them(api, manager):
    answer = api(manager, "orders", date_from="2026-06-01", date_to="2026-01-01")
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == {
        "date_to": ["The end of the period must be after its start."]
    }
    assert api(manager, "orders", currency="XXX").status_code == 422
    assert api(manager, "nonsense").status_code == 404


def test_the_dashboard_answers_the_home_pages_figures(sales, api, alice, manager):
    mine = api(alice, "dashboard").json()
    assert mine["team"] is False and mine["open_enquiries"] == 1
    team = api(manager, "dashboard").json()
    assert team["team"] is True and team["open_enquiries"] == 2
    assert [t["key"] for t in team["tables"]] == ["pipeline", "people"]


def test_targets_and_closing_through_the_api(client, token_of, manager, alice):
    headers = {"Authorization": token_of(manager)}
    body = {"order_value": "5000", "new_customers": 1, "leads_followed": 2}
    answer = client.put("/api/reports/targets/2026-10/alice", body, content_type="application/json",
                        headers=headers)  # fmt: skip
    assert answer.status_code == 200 and answer.json()["order_value"] == "5000.00"
    refused = client.put("/api/reports/targets/2026-10/alice", body,
                         content_type="application/json",
                         headers={"Authorization": token_of(alice)})  # fmt: skip
    assert refused.status_code == 403
    closed = client.post("/api/reports/plan/2026-10/close", headers=headers)
    assert closed.status_code == 201 and closed.json()["rows"][0]["username"] == "alice"
    again = client.put("/api/reports/targets/2026-10/alice", body,
                       content_type="application/json", headers=headers)  # fmt: skip
    assert again.status_code == 409 and "closed" in again.json()["error"]["message"]
    plan = client.get("/api/reports/plan/2026-10", headers=headers).json()
    assert plan["tables"][0]["rows"][0]["order_value_target"] == "5000.00"
    assert client.get("/api/reports/plan/2026-13", headers=headers).status_code == 422
    assert client.post("/api/reports/plan/2099-01/close", headers=headers).status_code == 409


def test_a_report_needs_a_signed_in_user(client):
    assert client.get("/api/reports/orders").status_code == 401


def test_lists_are_capped_by_limit(api, manager, alice):
    for n in range(3):
        confirmed(project(customer(alice, f"C{n}")), TODAY, "10", "CNY")
    answer = api(manager, "pareto", limit=2).json()
    assert len(answer["tables"][1]["rows"]) == 2 and answer["tables"][1]["count"] == 3
