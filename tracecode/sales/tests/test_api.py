"""The API does what the pages do: the same forms, the same services, the same refusals."""

import pytest

from tracecode.sales import workflow
from tracecode.sales.models import Order, OrderState

from .factories import (
    MOVE_DATA,
    PRODUCTION_CHECKS,
    days,
    make_customer,
    make_project,
    order_in,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(client, alice, token_of):
    headers = {"Authorization": token_of(alice)}

    def call(method, path, data=None):
        kwargs = {"headers": headers}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(client, method)(f"/api/sales{path}", **kwargs)

    return call


@pytest.fixture
def customer(alice):
    return make_customer(
        alice, name="Nordwerk Automotive GmbH", inspection_requirements="PPAP level 3"
    )


def jsonable(data: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


def test_the_story_through_the_api(api, customer):
    project = api(
        "post", "/projects", {"customer": customer.code, "name": "SP1003", "channel": "email"}
    )
    assert project.status_code == 201, project.json()
    code = project.json()["code"]
    assert code == f"{customer.code}-1"

    quotation = api(
        "post",
        "/quotations",
        {
            "project": code,
            "valid_until": days(30).isoformat(),
            "currency": "EUR",
            "incoterm": "FCA",
            "lines": [
                {"item": "SP1003", "quantity": "1000", "unit_price": "2.35"},
                {"item": "SP1003", "quantity": "5000", "unit_price": "2.10"},
            ],
        },
    )
    assert quotation.status_code == 201, quotation.json()
    assert quotation.json()["code"] == f"{code}-Q1"
    issued = api("post", f"/quotations/{code}-Q1/issue")
    assert issued.status_code == 201 and issued.json()["number"] == 1

    order = api(
        "post",
        "/orders",
        {
            "project": code,
            "kind": "sample",
            "delivery_date": days(30).isoformat(),
            "lines": [{"part_number": "SP1003", "quantity": "200", "unit_price": "2.35"}],
        },
    )
    assert order.status_code == 201, order.json()
    body = order.json()
    assert body["code"] == f"{code}-S1" and body["total"] == "470.00" and body["state"] == "draft"
    assert body["inspection_requirements"] == "PPAP level 3" and body["currency"] == "EUR"

    s1 = body["code"]
    assert (
        api("post", f"/orders/{s1}/moves/confirm", {"confirmed_on": today().isoformat()}).json()[
            "state"
        ]
        == "confirmed"
    )
    moves = api("get", f"/orders/{s1}/moves").json()
    start = next(m for m in moves if m["action"] == "start_production")
    assert "“Stock checked” is not done" in start["missing"]
    for name in PRODUCTION_CHECKS:
        assert api("post", f"/orders/{s1}/checkpoints/{name}", {}).status_code == 200
    for action in ("start_production", "finish_production"):
        assert api("post", f"/orders/{s1}/moves/{action}", {}).status_code == 200
    pi = api("post", f"/orders/{s1}/documents", {"kind": "PI"})
    assert pi.status_code == 201 and pi.json()["number"] == s1
    assert api("get", f"/documents/{pi.json()['id']}/pdf")["Content-Type"] == "application/pdf"
    shipped = api("post", f"/orders/{s1}/moves/ship", jsonable(MOVE_DATA["ship"]()))
    assert shipped.status_code == 200 and shipped.json()["tracking_number"] == "1234567890"
    paid = api("post", f"/orders/{s1}/payments", {"amount": "470.00", "reference": "TT 0815"})
    assert paid.status_code == 201
    for action, data in [
        ("confirm_arrival", {"arrived_on": today().isoformat()}),
        ("reconcile", {}),
        ("mark_paid", {}),
        ("close", {}),
    ]:
        response = api("post", f"/orders/{s1}/moves/{action}", data)
        assert response.status_code == 200, response.json()
    final = api("get", f"/orders/{s1}").json()
    assert final["state"] == "closed" and final["balance"] == "0.00"
    assert [e["action"] for e in final["timeline"] if e["from_state"] != e["to_state"]] == [
        "confirm",
        "start_production",
        "finish_production",
        "ship",
        "confirm_arrival",
        "reconcile",
        "mark_paid",
        "close",
    ]

    mass = api(
        "post",
        "/orders",
        {"project": code, "kind": "mass", "delivery_date": days(60).isoformat(), "lines": []},
    )
    assert mass.json()["code"] == f"{code}-M1"
    complaint = api(
        "post", f"/orders/{s1}/complaints", {"content": "Porosity on 3 parts", "severity": "major"}
    )
    assert complaint.status_code == 201 and complaint.json()["number"] == s1
    tree = api("get", f"/everything/{code}").json()  # the earlier address answers too
    orders = next(g for g in tree["record"]["groups"] if g["kind"] == "order")
    assert {o["code"] for o in orders["items"]} == {s1, f"{code}-M1"}
    figures = api("get", f"/figures/{customer.code}").json()
    assert figures["quotes"] == 1 and figures["open_complaints"] == [s1]


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_each_move_is_refused_with_409_from_a_state_it_does_not_leave(api, customer, action):
    state = "closed" if "draft" in workflow.TRANSITIONS[action].sources else "draft"
    order = order_in(state, make_project(customer))
    data = jsonable(MOVE_DATA.get(action, dict)())
    response = api("post", f"/orders/{order.code}/moves/{action}", data)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert f"{order.code} is {OrderState(state).label}" in error["message"]
    assert Order.objects.get(pk=order.pk).state == state


@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_each_move_is_allowed_through_the_api(api, customer, action):
    from .factories import PATH_TO

    transition = workflow.TRANSITIONS[action]
    source = transition.sources[-1]
    order = order_in("arrived" if source == "reconciled" else source, make_project(customer))
    if source == "reconciled":
        api("post", f"/orders/{order.code}/payments", {"amount": str(order.balance)})
        api("post", f"/orders/{order.code}/moves/reconcile", {})
    if action == "start_production":
        for name in PRODUCTION_CHECKS:
            api("post", f"/orders/{order.code}/checkpoints/{name}", {})
    response = api(
        "post", f"/orders/{order.code}/moves/{action}", jsonable(MOVE_DATA.get(action, dict)())
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == transition.target
    moves = [e.action for e in order.events.order_by("pk") if e.action in workflow.TRANSITIONS]
    path = PATH_TO["arrived" if source == "reconciled" else source]
    assert moves == [*path, *(["reconcile"] if source == "reconciled" else []), action]


def test_a_guard_refusal_is_409_naming_what_is_missing(api, customer):
    order = order_in("confirmed", make_project(customer))
    response = api("post", f"/orders/{order.code}/moves/start_production", {})
    assert response.status_code == 409
    assert "“Production notified” is not done" in response.json()["error"]["message"]


def test_field_errors_are_the_forms_own(api, customer):
    project = make_project(customer)
    response = api(
        "post",
        "/orders",
        {
            "project": project.code,
            "kind": "sample",
            "ordered_on": today().isoformat(),
            "delivery_date": today().isoformat(),
            "lines": [{"part_number": "SP1003", "quantity": "0", "unit_price": "-1"}],
        },
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields == {
        "lines.0.quantity": ["The quantity must be more than zero."],
        "lines.0.unit_price": ["A price cannot be negative."],
    }
    response = api(
        "post",
        "/orders",
        {
            "project": project.code,
            "kind": "sample",
            "ordered_on": today().isoformat(),
            "delivery_date": today().isoformat(),
        },
    )
    assert response.json()["error"]["fields"] == {
        "delivery_date": ["The delivery date must be after the order date."]
    }
    before = days(-3).isoformat()
    response = api("post", "/orders", {"project": project.code, "kind": "sample",
                                       "ordered_on": today().isoformat(),
                                       "delivery_date": before})  # fmt: skip
    assert response.json()["error"]["fields"] == {
        "delivery_date": ["The delivery date must be after the order date."]
    }


def test_shipping_with_the_eta_before_the_etd_is_422(api, customer):
    order = order_in("ready", make_project(customer))
    data = {**jsonable(MOVE_DATA["ship"]()), "eta": today().isoformat()}
    response = api("post", f"/orders/{order.code}/moves/ship", data)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"eta": ["The ETA must be after the ETD."]}


def test_a_pdf_that_fails_is_reported_and_changes_nothing(api, customer, monkeypatch):
    from tracecode.sales import documents

    monkeypatch.setattr(
        documents, "render_pdf", lambda html: (_ for _ in ()).throw(RuntimeError("no fonts"))
    )
    order = order_in("draft", make_project(customer))
    response = api("post", f"/orders/{order.code}/documents", {"kind": "PI"})
    assert response.status_code == 500
    assert response.json()["error"] == {
        "code": "document_failed",
        "message": "The PI could not be rendered as PDF: no fonts",
        "fields": {},
    }
    assert not order.documents.exists()


def test_lists_filter_like_the_pages(api, customer):
    project = make_project(customer)
    late = order_in("shipped", project, payment_due_on=today())
    Order.objects.filter(pk=late.pk).update(payment_due_on=days(-5))
    order_in("draft", project)
    overdue = api("get", "/orders?overdue=true").json()
    assert [o["code"] for o in overdue["items"]] == [late.code]
    assert overdue["items"][0]["payment_overdue"] is True
    assert api("get", "/orders?state=draft").json()["count"] == 1
    assert api("get", f"/projects?customer={customer.code}").json()["count"] == 1


def test_processing_order_through_the_api(api, customer):
    project = make_project(customer, name="PCBA-7731")
    order = api(
        "post",
        "/orders",
        {
            "project": project.code,
            "kind": "processing",
            "delivery_date": days(40).isoformat(),
            "process_requirements": "IPC-A-610 class 2",
            "lines": [{"part_number": "PCBA-7731", "quantity": "500", "unit_price": "3.80"}],
        },
    ).json()
    code = order["code"]
    assert code.endswith("-P1")
    bom = api(
        "put",
        f"/orders/{code}/bom",
        {"lines": [{"part_number": "PCB-7731", "quantity_per_unit": "1"}]},
    )
    assert bom.status_code == 200, bom.json()
    for name in ("contract_review", "processing_agreement", *PRODUCTION_CHECKS):
        assert api("post", f"/orders/{code}/checkpoints/{name}", {}).status_code == 200
    assert (
        api(
            "post", f"/orders/{code}/moves/confirm", {"confirmed_on": today().isoformat()}
        ).status_code
        == 200
    )
    lot = api(
        "post",
        f"/orders/{code}/lots",
        {"part_number": "PCB-7731", "lot_number": "L1101", "quantity": "500"},
    )
    assert lot.status_code == 201, lot.json()
    assert api("post", f"/orders/{code}/moves/start_production", {}).status_code == 409
    iqc = api("post", f"/lots/{lot.json()['id']}/inspection", {"result": "passed"})
    assert iqc.status_code == 200 and iqc.json()["result"] == "passed"
    assert (
        api("post", f"/orders/{code}/moves/start_production", {}).json()["state"] == "in_production"
    )
