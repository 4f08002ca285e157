"""Owner and sharing lists name people ("Bob Brown"), not their usernames ("bob")."""

import pytest

from tracecode.customers.forms import CustomerFilterForm, SharingForm
from tracecode.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value]


def test_the_sharing_form_names_people(alice, bob, viewer):
    bob.last_name = "Brown"
    bob.save()
    form = SharingForm(customer=make_customer(alice), user=alice)
    assert labels(form.fields["owner"]) == ["Alice", "Bob Brown"]
    assert labels(form.fields["shared_with"]) == ["Alice", "Bob Brown", "Victor"]


def test_someone_without_a_name_is_shown_by_username(alice, django_user_model):
    django_user_model.objects.create(username="temp01", role="sales")
    form = SharingForm(customer=make_customer(alice), user=alice)
    assert "temp01" in labels(form.fields["shared_with"])


def test_the_customer_list_filters_by_the_owners_name(alice, bob):
    bob.last_name = "Brown"
    bob.save()
    assert "Bob Brown" in labels(CustomerFilterForm().fields["owner"])
