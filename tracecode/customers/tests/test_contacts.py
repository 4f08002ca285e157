"""Contacts: several per customer, each with a code from the contact scheme, one main contact;
a change of main contact is recorded with when and who and shown on the sheet."""

import pytest
from django.db import IntegrityError

from tracecode.customers import services
from tracecode.customers.models import Contact, MainContactChange

from .factories import new_contact, new_customer

pytestmark = pytest.mark.django_db


def test_contacts_take_the_customer_code_and_a_serial(alice):
    customer = new_customer(alice)
    first = new_contact(customer, alice, "Jonas Weber")
    second = new_contact(customer, alice, "Anna Schmidt")
    assert (first.code, second.code) == ("RK001-C01", "RK001-C02")


def test_the_first_contact_is_the_main_contact(alice):
    customer = new_customer(alice)
    first = new_contact(customer, alice, "Jonas Weber")
    new_contact(customer, alice, "Anna Schmidt")
    assert customer.main_contact == first


def test_changing_the_main_contact_is_recorded_with_who_and_when(client_of, alice):
    customer = new_customer(alice)
    new_contact(customer, alice, "Jonas Weber")
    new_contact(customer, alice, "Anna Schmidt")
    client = client_of(alice)
    response = client.post("/customers/RK001/contacts/RK001-C02/main/")
    assert response.status_code == 302
    assert Contact.objects.get(is_main=True).name == "Anna Schmidt"
    change = MainContactChange.objects.first()
    assert (change.previous_name, change.new_name, change.changed_by) == (
        "Jonas Weber", "Anna Schmidt", alice,
    )  # fmt: skip
    page = client.get("/customers/RK001/").content.decode()
    assert "Main contact changes" in page
    assert "Jonas Weber → <strong>Anna Schmidt</strong>" in page


def test_there_is_only_ever_one_main_contact(alice):
    customer = new_customer(alice)
    new_contact(customer, alice, "Jonas Weber")
    other = new_contact(customer, alice, "Anna Schmidt")
    with pytest.raises(IntegrityError):
        Contact.objects.filter(pk=other.pk).update(is_main=True)


def test_a_contact_is_added_and_edited_through_the_pages(client_of, alice):
    new_customer(alice, country="DE")
    client = client_of(alice)
    response = client.post(
        "/customers/RK001/contacts/new/",
        {"name": "Jonas Weber", "job_title": "Buyer", "email": "j.weber@nordwerk.de",
         "phone": "0711 123456", "whatsapp": "0171 2345678"},
    )  # fmt: skip
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.phone, contact.whatsapp) == ("+49711123456", "+491712345678")
    response = client.post(
        "/customers/RK001/contacts/RK001-C01/edit/",
        {
            "name": "Jonas Weber",
            "job_title": "Head of purchasing",
            "whatsapp": "+491712345678",
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get("/customers/RK001/").content.decode()
    assert "Head of purchasing" in page and "https://wa.me/491712345678" in page


def test_a_bad_contact_phone_keeps_what_was_typed(client_of, alice):
    new_customer(alice, country="DE")
    response = client_of(alice).post(
        "/customers/RK001/contacts/new/", {"name": "Jonas Weber", "whatsapp": "017"}
    )
    assert response.status_code == 200
    assert "whatsapp" in response.context["form"].errors
    assert 'value="017"' in response.content.decode()


def test_a_contact_of_a_hidden_customer_is_404(client_of, alice, bob):
    customer = new_customer(alice)
    new_contact(customer, alice)
    client = client_of(bob)
    assert client.get("/customers/RK001/contacts/RK001-C01/edit/").status_code == 404
    assert client.post("/customers/RK001/contacts/RK001-C01/main/").status_code == 404


def test_making_the_current_main_contact_main_changes_nothing(alice):
    customer = new_customer(alice)
    contact = new_contact(customer, alice)
    assert services.make_main_contact(contact, user=alice) is None
    assert MainContactChange.objects.count() == 1  # the first one, when it was added
