"""What the index holds for customers and contacts."""

import pytest

from tracecode.customers import records
from tracecode.customers.models import Contact, Customer
from tracecode.search import index
from tracecode.search.models import Entry
from tracecode.search.services import search

from .factories import codes_of, customer

pytestmark = pytest.mark.django_db


def test_a_customer_is_one_entry_with_its_code_name_and_link(alice):
    nordwerk = customer(alice)
    entry = Entry.objects.get()
    assert (entry.kind, entry.code, entry.title) == (
        "customer",
        "RK1038",
        "Nordwerk Automotive GmbH",
    )
    assert entry.customer_id == nordwerk.pk and entry.url == "/customers/RK1038/"
    assert list(entry.codes.values_list("code", flat=True)) == ["RK1038"]


def test_the_fields_the_customer_sheet_has_are_searchable(alice):
    fields = {}
    for name, value in [("email", "info@lyon-medical.example"), ("city", "Villeurbanne")]:
        if hasattr(Customer, name):
            fields[name] = value
    customer(alice, name="Lyon Précision Médicale SARL", **fields)
    for value in fields.values():
        assert codes_of(search(alice, value)) == ["RK1038"]


def test_contacts_are_found_by_name_and_email(alice):
    nordwerk = customer(alice)
    Contact.objects.create(
        customer=nordwerk, code="RK1038-C01", name="Jonas Weber", email="j.weber@nordwerk.example"
    )
    assert codes_of(search(alice, "Jonas Weber"), "contact") == ["RK1038-C01"]
    assert codes_of(search(alice, "j.weber@"), "contact") == ["RK1038-C01"]
    assert codes_of(search(alice, "RK1038"), "contact") == ["RK1038-C01"]


def test_an_unknown_key_in_an_entry_is_refused(db):
    with pytest.raises(ValueError, match="unknown keys \\['colour'\\]"):
        index.put("tests.thing", 1, [{"kind": "file", "title": "x", "url": "/", "colour": "red"}])


def test_every_registered_model_has_a_provider():
    labels = {provider.label for provider in index.providers()}
    assert "customers.customer" in labels


@pytest.fixture
def customer_with_contact_names(monkeypatch):
    """The customer entry also lists its contacts' names; contacts are followed."""

    def entries(customer):
        yield {
            **next(records.customer_entries(customer)),
            "text": " ".join(c.name for c in customer.contacts.all()),
        }

    monkeypatch.setitem(index._providers, Customer, index.Provider(Customer, entries))
    index.follow(Contact, lambda contact: contact.customer)
    yield
    from django.db.models.signals import post_delete, post_save

    for signal in (post_save, post_delete):
        signal.disconnect(sender=Contact, dispatch_uid="tracecode.search.follow:customers.contact")


def test_a_followed_part_reindexes_its_record(alice, customer_with_contact_names):
    nordwerk = customer(alice)
    jonas = Contact.objects.create(customer=nordwerk, code="RK1038-C01", name="Jonas Weber")
    assert codes_of(search(alice, "Jonas"), "customer") == ["RK1038"]
    jonas.delete()
    assert codes_of(search(alice, "Jonas"), "customer") == []


def test_deleting_a_record_with_followed_parts_leaves_nothing(alice, customer_with_contact_names):
    nordwerk = customer(alice)
    Contact.objects.create(customer=nordwerk, code="RK1038-C01", name="Jonas Weber")
    nordwerk.delete()
    assert not Entry.objects.exists()
