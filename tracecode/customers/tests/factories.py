from itertools import count

from tracecode.customers.models import Customer, CustomerShare

_serial = count(5000)


def make_customer(owner, name="Nordwerk Automotive GmbH", shared_with=(), code=None):
    customer = Customer.objects.create(
        code=code or f"RK{next(_serial)}", company_name=name, owner=owner
    )
    for user in shared_with:
        CustomerShare.objects.create(customer=customer, user=user)
    return customer
