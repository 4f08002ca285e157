"""Small builders of register records for the tests: everything goes through services.py."""

import pytest
from django.contrib.auth.models import Permission

from tracecode.registers import services
from tracecode.registers.models import Material, Part, Supplier


def keeper_of_registers(user):
    """Give `user` the permission to keep the materials and suppliers."""
    user.user_permissions.add(Permission.objects.get(codename="keep_registers"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


def make_part(customer, number="SP1003", name="MB-200 manifold block", user=None, **fields):
    fields.setdefault("category", "01")
    fields.setdefault("part_type", "04")
    part = Part(customer=customer, customer_part_number=number, name=name, **fields)
    return services.create_part(part, user=user or customer.owner)


def make_material(subclass="01.01", name="CPIDE131218DA1", user=None, **fields):
    return services.create_material(Material(subclass=subclass, name=name, **fields), user=user)


def make_supplier(name="Dongguan Taiflex", region="441900", user=None, materials=(), **fields):
    supplier = Supplier(name=name, region=region, **fields)
    return services.create_supplier(supplier, user=user, materials=materials)


@pytest.fixture
def keeper(db):
    """Kim, a sales user who also keeps the registers of materials and suppliers."""
    from conftest import make_user

    return keeper_of_registers(make_user("kim", "sales", first_name="Kim"))
