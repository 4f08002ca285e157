"""A new record may arrive with the code it was given before Tracecode (an import): it keeps
it as it is, its counter moves past it, and a code that does not fit is refused, never
changed to fit."""

import pytest
from django.db import transaction

from tracecode.codes import services
from tracecode.codes.models import CodeEntry
from tracecode.codes.services import CodingError, create_with_code
from tracecode.customers.models import Contact, Customer

from .helpers import give

pytestmark = pytest.mark.django_db


def customer_with(code, owner, **fields):
    with transaction.atomic():
        return create_with_code(
            Customer(code=code, company_name="Legacy GmbH", owner=owner), "customer", **fields
        )


def test_a_record_keeps_the_code_it_brings_and_the_counter_moves_past_it(alice):
    customer = customer_with("RK888", alice)
    assert Customer.objects.get(pk=customer.pk).code == "RK888"
    entry = CodeEntry.objects.get(code="RK888")
    assert entry.origin == "imported"
    assert entry.record_type == "customers.customer"
    assert give("customer") == "RK889"


def test_a_code_in_small_letters_is_registered_as_the_scheme_writes_it(alice):
    assert customer_with("rk777", alice).code == "RK777"


def test_a_code_of_another_scheme_is_refused_with_the_reason(alice):
    with pytest.raises(CodingError, match="R-K7 is not a customer code") as error:
        customer_with("R-K7", alice)
    assert error.value.field == "code"
    assert not Customer.objects.exists()


def test_a_code_already_given_is_refused(alice):
    customer_with("RK888", alice)
    with pytest.raises(CodingError, match="RK888 is already registered"):
        customer_with("RK888", alice)


def test_a_child_code_must_sit_under_its_parent(alice):
    nordwerk = customer_with("RK888", alice)
    other = customer_with("RK889", alice)
    refused = pytest.raises(CodingError, match="RK888-C07 is not a code under RK889")
    with refused, transaction.atomic():
        create_with_code(
            Contact(code="RK888-C07", customer=other, name="Jonas"), "contact", parent="RK889"
        )
    with transaction.atomic():
        contact = create_with_code(
            Contact(code="RK888-C07", customer=nordwerk, name="Jonas"), "contact", parent="RK888"
        )
    assert contact.code == "RK888-C07"
    assert give("contact", parent="RK888") == "RK888-C08"


def test_a_code_that_says_another_field_value_than_the_record_is_refused(alice):
    refused = pytest.raises(CodingError, match="RK888-1-M1 is a code of kind M, the record's is S")
    with refused, transaction.atomic():
        customer_with("RK888", alice)
        services.allocate("project", parent="RK888")
        services.register_given("RK888-1-M1", "order", parent="RK888-1", fields={"kind": "S"})
