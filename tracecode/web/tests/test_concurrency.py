"""Optimistic locking: a save from a stale version is refused with what changed."""

import pytest

from tracecode.core.concurrency import StaleEdit, save_versioned
from tracecode.customers.models import Customer
from tracecode.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def opened(customer):
    return Customer.objects.get(pk=customer.pk)


def test_a_save_from_the_current_version_moves_it_on(alice):
    customer = make_customer(alice)
    mine = opened(customer)
    mine.remark = "first"
    save_versioned(mine, 1, fields=["remark"])
    assert opened(customer).version == 2 and opened(customer).remark == "first"


def test_the_second_of_two_saves_from_the_same_version_is_refused(alice):
    customer = make_customer(alice)
    hers, his = opened(customer), opened(customer)
    hers.remark = "Alice's remark"
    save_versioned(hers, 1, fields=["remark"])
    his.remark = "Bob's remark"
    his.city = "Stuttgart"
    with pytest.raises(StaleEdit) as refused:
        save_versioned(his, 1, fields=["remark", "city"])
    changes = {c.field: (c.theirs, c.yours) for c in refused.value.changes}
    assert changes == {"remark": ("Alice's remark", "Bob's remark"), "city": ("", "Stuttgart")}
    assert refused.value.current.version == 2
    assert opened(customer).remark == "Alice's remark" and opened(customer).city == ""


def test_only_the_named_fields_are_written(alice):
    customer = make_customer(alice)
    mine = opened(customer)
    Customer.objects.filter(pk=customer.pk).update(remark="set elsewhere")
    mine.city = "Lyon"
    save_versioned(mine, 1, fields=["city"])
    assert opened(customer).remark == "set elsewhere" and opened(customer).city == "Lyon"
