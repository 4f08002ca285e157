"""Quotation → order: an accepted revision becomes a draft order with its lines at the tier
each quantity reaches, its prices, currency, incoterm, payment terms and lead time."""

import datetime
import json
from decimal import Decimal

import pytest

from tracecode.sales import services
from tracecode.sales.models import Order

from .factories import days, make_customer, make_project, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def revision(alice):
    project = make_project(
        make_customer(alice, name="Pacific Aero Components Inc."), name="BRKT-77"
    )
    quotation = services.create_quotation(
        project,
        user=alice,
        values={
            "valid_until": days(30),
            "currency": "EUR",
            "incoterm": "DAP",
            "incoterm_place": "Wichita, KS",
            "lead_time": "42 days after PO",
            "payment_terms": "30% T/T in advance, 70% before shipment",
        },
        lines=[
            {"item": "BRKT-77", "quantity": "20", "unit": "pcs", "unit_price": "48.00"},
            {"item": "BRKT-77", "quantity": "400", "unit": "pcs", "unit_price": "38.50"},
        ],
    )
    revision = services.issue_quotation(quotation, user=alice)
    services.set_quotation_status(quotation, "accepted", user=alice)
    return revision


def post(client, header, path, body):
    return client.post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=header
    )


def test_an_accepted_revision_becomes_an_order_at_the_tier_its_quantity_reaches(
    client, token_of, alice, revision
):
    path = f"/api/sales/quotations/{revision.quotation.code}/revisions/{revision.number}/order"
    response = post(client, token_of(alice), path, {"quantities": {"BRKT-77": "500"}})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["from_revision"] == f"{revision.quotation.code}/1"
    assert (body["currency"], body["incoterm"], body["incoterm_place"]) == (
        "EUR",
        "DAP",
        "Wichita, KS",
    )
    assert body["payment_terms"] == "30% T/T in advance, 70% before shipment"
    assert body["delivery_date"] == (today() + datetime.timedelta(days=42)).isoformat()
    order = Order.objects.get(code=body["code"])
    assert order.from_revision == revision
    [line] = order.lines.all()
    assert (line.part_number, line.quantity, line.unit_price) == (
        "BRKT-77",
        Decimal("500"),
        Decimal("38.50"),
    )
    # Below the second tier the first tier's price holds.
    second = services.create_order_from_revision(
        revision, user=alice, quantities={"BRKT-77": "100"}
    )
    assert second.lines.get().unit_price == Decimal("48.00")


def test_bob_cannot_make_an_order_of_alices_quotation(client, token_of, bob, revision):
    path = f"/api/sales/quotations/{revision.quotation.code}/revisions/{revision.number}/order"
    response = post(client, token_of(bob), path, {})
    assert response.status_code == 404
    assert not Order.objects.exists()


def test_a_quotation_not_accepted_is_refused(client, token_of, alice, revision):
    quotation = revision.quotation
    type(quotation).objects.filter(pk=quotation.pk).update(status="sent")
    path = f"/api/sales/quotations/{quotation.code}/revisions/{revision.number}/order"
    response = post(client, token_of(alice), path, {})
    assert response.status_code in (400, 422)
    assert "accepted" in response.content.decode()
    assert not Order.objects.exists()


def test_create_order_on_the_accepted_revisions_page(client_of, alice, bob, revision):
    quotation = revision.quotation
    page = client_of(alice).get(f"/sales/quotations/{quotation.code}/")
    action = f"/sales/quotations/{quotation.code}/revisions/1/order/"
    assert action in page.content.decode()
    response = client_of(alice).post(action)
    order = Order.objects.get()
    assert response["Location"] == f"/sales/orders/{order.code}/edit/"
    assert (order.state, order.currency, order.from_revision) == ("draft", "EUR", revision)
    shown = client_of(alice).get(f"/sales/orders/{order.code}/").content.decode()
    assert "From quotation" in shown and f"/sales/quotations/{quotation.code}/" in shown


def test_bob_sees_no_create_order_on_alices_quotation(client, bob, revision):
    client.force_login(bob)
    action = f"/sales/quotations/{revision.quotation.code}/revisions/1/order/"
    assert client.post(action).status_code == 404
    assert not Order.objects.exists()
