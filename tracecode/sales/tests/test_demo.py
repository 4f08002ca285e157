"""The demo's sales records: believable, every state on show, loaded once."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tracecode.sales import demo
from tracecode.sales.figures import customer_figures
from tracecode.sales.models import Complaint, Document, MaterialLot, Order, Project
from tracecode.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_PASSWORD = "demo-pass-123"


def load():
    with transaction.atomic():
        report = load_demo()
        users = {u.username: u for u in get_user_model().objects.all()}
        demo.load(users, report)
    return report


def test_the_demo_tells_the_order_story_once():
    first = load()
    assert "project RK888-1 (SP1003)" in first.created
    counts = (Project.objects.count(), Order.objects.count(), Document.objects.count())
    assert load().created == []
    assert (Project.objects.count(), Order.objects.count(), Document.objects.count()) == counts

    states = set(Order.objects.values_list("state", flat=True))
    assert {
        "draft",
        "confirmed",
        "in_production",
        "shipped",
        "reconciled",
        "closed",
        "cancelled",
    } <= states
    assert Order.objects.payment_overdue().get().code == "RK888-1-M1"
    partial = Order.objects.get(code="RK1037-1-M1")
    assert 0 < partial.paid < partial.total and not partial.is_payment_overdue
    assert MaterialLot.objects.filter(order__code="RK1036-1-P1", result="pending").exists()
    assert Complaint.objects.filter(closed_on=None).get().number == "RK1037-1-M1"
    assert Document.objects.filter(kind="PI").count() >= 2
    figures = customer_figures(Order.objects.get(code="RK888-1-S1").customer)
    # the SP1003 quotation and the wallbox one the order was made from (contracts/demo.py)
    assert figures.quotes == 2 and figures.first_cooperation is not None


def test_a_missing_demo_customer_is_skipped(alice):
    from tracecode.codes.services import create_with_code
    from tracecode.customers.models import Customer
    from tracecode.web.demo import DemoReport

    create_with_code(Customer(company_name="Not a demo customer", owner=alice), "customer")
    report = DemoReport(password="x")
    demo.load({"alice": alice}, report)  # none of the demo's customers exists
    assert report.created == []
    assert not Project.objects.exists()
