import pytest
from django.core.management import call_command

from tracecode.codes.models import CodeEntry
from tracecode.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_prints_how_to_sign_in(capsys, settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("demo")
    first = capsys.readouterr().out
    assert "alice    demo-pass-123" in first
    counts = (Customer.objects.count(), CodeEntry.objects.count())
    call_command("demo")
    again = capsys.readouterr().out
    assert "Nothing new to add." in again
    assert (Customer.objects.count(), CodeEntry.objects.count()) == counts


def test_demo_customers_continue_after_the_imported_list(settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("demo")
    codes = set(Customer.objects.values_list("code", flat=True))
    assert {"RK888", "RK1036", "RK1037", "RK1038", "RK1039"} <= codes
    assert CodeEntry.objects.get(code="RK888").origin == "imported"
    assert CodeEntry.objects.get(code="RK1038").origin == "allocated"
