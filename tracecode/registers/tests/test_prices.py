"""A part's price history: every quoted and ordered price for its customer, and what the
customer paid last time, offered while quoting."""

import datetime
from decimal import Decimal

import pytest

from tracecode.registers import prices
from tracecode.sales import services as sales
from tracecode.sales.tests.factories import days, make_customer, make_order, make_project, move

from .factories import make_part

pytestmark = pytest.mark.django_db


def quote(project, *tiers, status="sent", on=None):
    lines = [
        {"item": "SP1003", "quantity": Decimal(q), "unit": "pcs", "unit_price": Decimal(p)}
        for q, p in tiers
    ]
    values = {"quoted_on": on or days(-10), "valid_until": days(20), "currency": "EUR"}
    quotation = sales.create_quotation(project, user=project.customer.owner, values=values,
                                       lines=lines)  # fmt: skip
    if status != "draft":
        sales.issue_quotation(quotation, user=project.customer.owner)
    return quotation


def order(project, quantity, price, state="confirmed", on=None):
    made = make_order(
        project,
        "mass",
        ordered_on=on or days(-5),
        currency="EUR",
        lines=[{"part_number": "SP1003", "quantity": Decimal(quantity), "unit": "pcs",
                "unit_price": Decimal(price)}],
    )  # fmt: skip
    return move(made, *(["confirm"] if state == "confirmed" else ["cancel"] if state else []))


@pytest.fixture
def story(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = make_customer(alice)
    part = make_part(customer, "SP1003", "EV wallbox housing")
    project = make_project(customer, name="SP1003")
    return part, project


def test_quoted_tiers_and_ordered_prices_make_the_history(story, alice):
    part, project = story
    quotation = quote(project, ("1000", "2.45"), ("5000", "2.25"), on=days(-20))
    mass = order(project, "5000", "2.25", on=days(-5))
    points = prices.history(part, alice)
    assert [(p.kind, p.code, p.quantity, p.unit_price) for p in points] == [
        ("ordered", mass.code, Decimal("5000.000"), Decimal("2.2500")),
        ("quoted", quotation.code, Decimal("5000.000"), Decimal("2.2500")),
        ("quoted", quotation.code, Decimal("1000.000"), Decimal("2.4500")),
    ]
    paid = prices.last_paid(points)
    assert (paid.code, paid.price_text, paid.quantity_text) == (mass.code, "EUR 2.25", "5,000 pcs")
    assert [p.quantity_text for p in prices.last_quoted(points)] == ["1,000 pcs", "5,000 pcs"]


def test_a_draft_quotation_is_no_quote_and_a_cancelled_order_no_price(story, alice):
    part, project = story
    quote(project, ("1000", "9.99"), status="draft")
    order(project, "100", "8.88", state="cancelled")
    assert prices.history(part, alice) == []


def test_an_order_still_in_draft_is_listed_but_not_what_was_paid(story, alice):
    part, project = story
    order(project, "100", "2.50", state=None)
    points = prices.history(part, alice)
    assert [p.state_key for p in points] == ["draft"]
    assert prices.last_paid(points) is None


def test_bob_sees_no_price_of_alices_part(story, bob):
    part, project = story
    order(project, "100", "2.50")
    assert prices.history(part, bob) == []


def test_the_part_page_shows_its_prices_and_what_was_paid_last(story, alice, client_of):
    part, project = story
    quote(project, ("1000", "2.45"), on=days(-20))
    mass = order(project, "5000", "2.25")
    page = client_of(alice).get(part.get_absolute_url()).content.decode()
    assert "Paid last time:" in page and "EUR 2.25" in page and mass.code in page
    assert "EUR 2.45" in page and "1,000 pcs" in page


def test_a_new_quotation_for_the_part_shows_what_the_customer_paid_last_time(
    story, alice, client_of
):
    part, project = story
    mass = order(project, "5000", "2.25")
    page = client_of(alice).get(f"/sales/projects/{project.code}/quotations/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="price-offer"' in html
    assert "Paid last time:" in html and "EUR 2.25" in html and mass.code in html
    assert f'<option value="{part.code}" selected>' in html


def test_picking_a_part_in_a_line_loads_its_prices(story, alice, bob, client_of):
    part, project = story
    order(project, "5000", "2.25")
    html = client_of(alice).get(f"/registers/parts/prices/?lines-3-part={part.code}")
    assert "EUR 2.25" in html.content.decode()
    assert (
        "EUR 2.25"
        not in client_of(bob)
        .get(f"/registers/parts/prices/?lines-3-part={part.code}")
        .content.decode()
    )


def test_the_api_lists_a_parts_prices(story, alice, client_of):
    part, project = story
    order(project, "5000", "2.25", on=datetime.date.today())
    body = client_of(alice).get(f"/api/registers/parts/{part.code}/prices").json()
    assert [(p["kind"], p["unit_price"], p["currency"]) for p in body] == [
        ("ordered", "2.2500", "EUR")
    ]


def test_the_prices_name_the_unit_in_the_readers_language(story, alice, client_of):
    """`件` in Chinese, as the line's own unit drop-down says, not the stored `pcs`; the API
    keeps the unit's code."""
    part, project = story
    order(project, "5000", "2.25")
    client = client_of(alice)
    html = client.get(
        f"/registers/parts/prices/?lines-0-part={part.code}", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "5,000 件" in html and "每 件" in html and "pcs" not in html
    assert [point.as_dict()["unit"] for point in prices.history(part, alice)] == ["pcs"]
