from itertools import count

from tracecode.customers import services
from tracecode.customers.lists import seed_app_lists
from tracecode.customers.models import Contact, Customer, CustomerShare, Industry

_serial = count(5000)


def make_customer(owner, name="Nordwerk Automotive GmbH", shared_with=(), code=None, **fields):
    """A customer saved as it is (legacy-style code), for tests about something else."""
    customer = Customer.objects.create(
        code=code or f"RK{next(_serial)}", company_name=name, owner=owner, **fields
    )
    for user in shared_with:
        CustomerShare.objects.create(customer=customer, user=user)
    return customer


def new_customer(owner, name="Nordwerk Automotive GmbH", *, shared_with=(), **fields):
    """A customer created as the app creates one: coded by the scheme, history started."""
    fields.setdefault("country", "DE")
    customer = Customer(company_name=name, owner=owner, **fields)
    return services.create_customer(customer, user=owner, shared_with=shared_with)


def new_contact(customer, user, name="Jonas Weber", **fields):
    return services.add_contact(Contact(name=name, **fields), customer=customer, user=user)


def industry(code="automotive"):
    seed_app_lists()  # transactional tests start from empty tables
    return Industry.objects.get(code=code)
