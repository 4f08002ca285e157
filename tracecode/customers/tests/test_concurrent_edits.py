"""Two people edit the same customer: the second save is refused with what changed, never a
silent overwrite; saving again after looking replaces it knowingly."""

import pytest
from django.test import Client

from tracecode.customers.models import Customer

from .factories import new_contact, new_customer

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def edit(client, version, **fields):
    data = {"company_name": "Nordwerk Automotive GmbH", "country": "DE", "version": version}
    data.update(fields)
    return client.post("/customers/RK001/edit/", data)


def test_the_second_save_is_refused_and_shows_what_changed(alice, bob):
    new_customer(alice, shared_with=[bob])
    alices, bobs = signed_in(alice), signed_in(bob)
    assert (
        edit(alices, 1, payment_requirements="30% deposit, 70% before shipment").status_code == 302
    )
    response = edit(bobs, 1, payment_requirements="100% T/T in advance", remark="Bob was here")
    assert response.status_code == 200
    rows = response.context["conflict"]
    assert [(r.field, r.by) for r in rows] == [("payment_requirements", "Alice")]
    page = response.content.decode()
    assert "Not saved: someone else saved this record after you opened it." in page
    assert "30% deposit, 70% before shipment" in page and "100% T/T in advance" in page
    assert "/customers/RK001/#history" in page
    assert Customer.objects.get().payment_requirements == "30% deposit, 70% before shipment"
    # What Bob typed is kept, now on top of Alice's version: saving again is a choice.
    assert response.context["form"]["version"].value() == 2
    saved = edit(bobs, 2, payment_requirements="100% T/T in advance", remark="Bob was here")
    assert saved.status_code == 302
    assert Customer.objects.get().payment_requirements == "100% T/T in advance"


def test_the_next_step_form_is_protected_too(client_of, alice):
    customer = new_customer(alice)
    client = client_of(alice)
    client.post("/customers/RK001/follow-up/", {"next_step": "Call", "version": "1"})
    response = client.post("/customers/RK001/follow-up/", {"next_step": "Mail", "version": "1"})
    assert response.status_code == 200 and "Not saved" in response.content.decode()
    customer.refresh_from_db()
    assert customer.next_step == "Call"


def test_contacts_are_protected_too(alice, bob):
    customer = new_customer(alice, shared_with=[bob])
    new_contact(customer, alice)
    data = {"name": "Jonas Weber", "version": "1"}
    assert (
        signed_in(alice)
        .post("/customers/RK001/contacts/RK001-C01/edit/", {**data, "job_title": "Buyer"})
        .status_code
        == 302
    )
    response = signed_in(bob).post(
        "/customers/RK001/contacts/RK001-C01/edit/", {**data, "job_title": "CEO"}
    )
    assert "Not saved" in response.content.decode()
    assert customer.contacts.get().job_title == "Buyer"
