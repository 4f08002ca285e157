"""The demo's customer archive is believable and loads once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tracecode.customers import demo
from tracecode.customers.models import Communication, Contact, Customer
from tracecode.web.demo import DemoReport

pytestmark = pytest.mark.django_db


def load_twice():
    call_command("demo")  # loads the customer archive too
    users = {u.username: u for u in get_user_model().objects.all()}
    again = DemoReport(password="x")
    demo.load(users, again)
    return again


def test_the_demo_archive_loads_once(settings, capsys):
    settings.DEMO_PASSWORD = "demo-pass-123"
    again = load_twice()
    assert "10 × customer" in capsys.readouterr().out
    assert again.created == []
    counts = (Customer.objects.count(), Contact.objects.count(), Communication.objects.count())
    assert counts[0] == 10 and counts[1] >= 11 and counts[2] >= 20


def test_the_demo_archive_looks_like_a_real_one(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    load_twice()
    customers = Customer.objects.all()
    assert set(customers.values_list("country", flat=True)) == {"DE", "US", "FR", "JP", "IT", "CN"}
    assert set(customers.values_list("owner__username", flat=True)) == {"alice", "bob"}
    assert customers.filter(nda_signed=True).count() >= 3
    today = timezone.localdate()
    assert customers.filter(next_step_due__lt=today).exists()
    assert customers.filter(next_step_due=today).exists()
    assert customers.filter(shared_with__username="victor").exists()
    assert {"mail", "whatsapp", "call"} <= set(
        Communication.objects.values_list("channel", flat=True)
    )
    milano = Customer.objects.get(company_name="Milano Motori S.p.A.")
    assert milano.main_contact.name == "Giulia Rossi"
    assert milano.main_contact_changes.count() == 2
    assert all(c.phone.startswith("+") for c in customers)
