"""Everything is numbered from the customer code: RK888-6, -Q1, -S1, -S2, -M1, -P1."""

import datetime

import pytest

from tracecode.codes import services as codes
from tracecode.codes.models import CodeEntry
from tracecode.sales import services

from .factories import make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db

QUOTE = {"valid_until": datetime.date(2026, 12, 31), "currency": "USD", "incoterm": "FOB"}
QUOTE_LINE = {"item": "SP1003", "quantity": 1000, "unit": "pcs", "unit_price": "2.35"}


def quote(project, **values):
    return services.create_quotation(
        project, user=project.customer.owner, values={**QUOTE, **values}, lines=[QUOTE_LINE]
    )


@pytest.fixture
def customer(alice):
    return make_customer(alice)


def test_projects_count_per_customer(customer, alice):
    first, second = make_project(customer), make_project(customer, name="SP2040")
    assert (first.code, second.code) == (f"{customer.code}-1", f"{customer.code}-2")
    other = make_project(make_customer(alice, name="Pacific Aero Components Inc."))
    assert other.code.endswith("-1")
    assert str(first) == f"{customer.code}-1 (SP1003)"


def test_quotations_count_per_project(customer):
    project = make_project(customer)
    assert [quote(project).code, quote(project).code] == [
        f"{project.code}-Q1",
        f"{project.code}-Q2",
    ]


def test_an_administrator_can_switch_quotations_to_bj_numbers(customer):
    codes.load_scheme_file(
        '[scheme.quotation]\nlabel = "Quotation"\npattern = "BJ{YYYY}{MM}{serial:4}"\n'
    )
    project = make_project(customer)
    november = quote(project, quoted_on=datetime.date(2026, 11, 22))
    again = quote(project, quoted_on=datetime.date(2026, 11, 23))
    december = quote(project, quoted_on=datetime.date(2026, 12, 1))
    assert [november.code, again.code, december.code] == [
        "BJ2026110001",
        "BJ2026110002",
        "BJ2026120001",
    ]


def test_sample_mass_and_processing_orders_count_separately(customer):
    project = make_project(customer)
    made = [make_order(project, kind) for kind in ("sample", "sample", "mass", "processing")]
    assert [o.code for o in made] == [
        f"{project.code}-S1",
        f"{project.code}-S2",
        f"{project.code}-M1",
        f"{project.code}-P1",
    ]


def test_every_code_is_in_the_registry_with_its_record_type(customer):
    project = make_project(customer)
    order = make_order(project)
    assert CodeEntry.objects.get(code=project.code).record_type == "sales.project"
    assert CodeEntry.objects.get(code=order.code).record_type == "sales.order"
    assert CodeEntry.objects.get(code=order.code).parent_code == project.code


def test_the_code_explains_itself(customer):
    order = make_order(make_project(customer))
    explained = codes.explain(order.code)
    assert explained["summary"].startswith(f"Order {order.code}: customer {customer.code}")


def test_creating_an_order_moves_the_project_on(customer):
    project = make_project(customer)
    make_order(project, "sample")
    project.refresh_from_db()
    assert project.status == "sampling"
    mass = make_order(project, "mass")
    project.refresh_from_db()
    assert project.status == "sampling"  # a draft mass order is not production yet
    move(mass, "confirm")
    project.refresh_from_db()
    assert project.status == "mass_production"


def test_a_cancelled_draft_mass_order_leaves_the_project_sampling(customer):
    project = make_project(customer)
    make_order(project, "sample")
    move(make_order(project, "mass"), "cancel")
    project.refresh_from_db()
    assert project.status == "sampling"


@pytest.mark.parametrize("language, label", [("en", "mass production"), ("zh-hans", "批量生产")])
def test_the_project_page_says_mass_production_once_confirmed(customer, client_of, language, label):
    project = make_project(customer)
    mass = make_order(project, "mass")
    client = client_of(customer.owner)
    client.cookies["django_language"] = language
    assert label not in client.get(project.get_absolute_url()).content.decode()
    move(mass, "confirm")
    assert label in client.get(project.get_absolute_url()).content.decode()


def test_a_lost_project_stays_lost_when_an_order_comes(customer):
    project = make_project(customer)
    project.__class__.objects.filter(pk=project.pk).update(status="lost", lost_reason="Price")
    project.refresh_from_db()
    make_order(project)
    project.refresh_from_db()
    assert project.status == "lost"
