"""Every change to a customer or contact is kept (who, when, old → new) and shown on the sheet."""

import pytest
from django.utils.translation import override

from tracecode.customers.models import ChangeRecord

from .factories import industry, new_contact, new_customer

pytestmark = pytest.mark.django_db


def edit(client, **fields):
    data = {"company_name": "Nordwerk Automotive GmbH", "country": "DE", "version": "1"}
    data.update(fields)
    return client.post("/customers/RK001/edit/", data)


def test_creation_is_the_first_line_of_the_history(alice):
    new_customer(alice)
    record = ChangeRecord.objects.get()
    assert (record.action, record.changed_by, record.subject) == ("created", alice, "RK001")


def test_a_change_keeps_who_when_and_old_and_new(client_of, alice):
    new_customer(alice)
    industry()
    edit(client_of(alice), city="Stuttgart", industry="automotive", satisfaction="4")
    changes = {
        r.field: (r.old_value, r.new_value, r.changed_by)
        for r in ChangeRecord.objects.filter(action="changed")
    }
    assert changes == {
        "city": ("", "Stuttgart", alice),
        "industry": ("", "automotive", alice),
        "satisfaction": ("", "4", alice),
    }


def test_unchanged_fields_leave_no_trace(client_of, alice):
    new_customer(alice)
    edit(client_of(alice))
    assert not ChangeRecord.objects.filter(action="changed").exists()


def test_the_sheet_shows_the_history_in_the_readers_language(client_of, alice):
    new_customer(alice, country="DE")
    industry()
    client = client_of(alice)
    edit(client, country="FR", industry="automotive")
    page = client.get("/customers/RK001/").content.decode()
    assert "Germany (DE) → France (FR)" in page
    assert "— → Automotive" in page
    with override("zh-hans"):
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
        page = client.get("/customers/RK001/").content.decode()
    assert "德国 (DE) → 法国 (FR)" in page and "— → 汽车" in page


def test_contact_changes_are_in_the_customers_history(client_of, alice):
    customer = new_customer(alice)
    new_contact(customer, alice, "Jonas Weber", job_title="Buyer")
    client_of(alice).post(
        "/customers/RK001/contacts/RK001-C01/edit/",
        {"name": "Jonas Weber", "job_title": "Head of purchasing", "version": "1"},
    )
    record = ChangeRecord.objects.get(field="job_title")
    assert (record.subject, record.old_value, record.new_value) == (
        "RK001-C01", "Buyer", "Head of purchasing",
    )  # fmt: skip
    page = client_of(alice).get("/customers/RK001/").content.decode()
    assert "Buyer → Head of purchasing" in page


def test_sharing_and_handing_over_are_recorded(client_of, alice, bob, manager):
    new_customer(alice)
    client_of(manager).post("/customers/RK001/sharing/", {"owner": "bob", "shared_with": ["alice"]})
    changes = {
        r.field: (r.old_value, r.new_value) for r in ChangeRecord.objects.filter(action="changed")
    }
    assert changes == {"owner": ("alice", "bob"), "shared_with": ("", "alice")}
