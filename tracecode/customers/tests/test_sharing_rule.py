"""Who shares and who hands over is a rule of the services, not of a form: a script, the
demo or any new page calling `services.set_sharing` meets the same refusal as the browser."""

import pytest
from django.core.exceptions import PermissionDenied

from tracecode.customers import services
from tracecode.customers.models import Customer

from .factories import new_customer

pytestmark = pytest.mark.django_db


def test_only_a_manager_hands_a_customer_over(alice, bob, manager):
    customer = new_customer(alice)
    with pytest.raises(PermissionDenied, match="A manager hands a customer over."):
        services.set_sharing(customer, user=alice, owner=bob, shared_with=[])
    assert Customer.objects.get(pk=customer.pk).owner == alice
    services.set_sharing(customer, user=alice, owner=alice, shared_with=[bob])  # sharing: hers
    services.set_sharing(customer, user=manager, owner=bob, shared_with=[])
    handed = Customer.objects.get(pk=customer.pk)
    assert handed.owner == bob and not handed.shared_with.exists()


def test_someone_it_is_shared_with_does_not_share_it_further(alice, bob, viewer):
    customer = new_customer(alice, shared_with=[bob])
    with pytest.raises(PermissionDenied):
        services.set_sharing(customer, user=bob, owner=alice, shared_with=[bob, viewer])
    assert list(Customer.objects.get(pk=customer.pk).shared_with.all()) == [bob]
