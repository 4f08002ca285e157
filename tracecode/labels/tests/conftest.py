import pytest

from tracecode.sales.tests.factories import line, make_customer, make_order, make_project


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def customer(alice):
    return make_customer(alice, name="Nordwerk Automotive GmbH")


@pytest.fixture
def project(customer, alice):
    return make_project(customer, alice, name="SP1003")


@pytest.fixture
def order(project, alice):
    """A mass order packed in 10 + 2 cartons."""
    return make_order(
        project,
        "mass",
        user=alice,
        customer_po="NW-4500125530",
        lines=[
            line("SP1003", "5000", specification="ZAMAK 5 die-cast", cartons=10),
            line("SP1004", "5000", "0.85", specification="Gasket EPDM", cartons=2),
        ],
    )
