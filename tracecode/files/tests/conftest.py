import pytest

from tracecode.sales.tests.factories import make_customer, make_order, make_project


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def customer(alice):
    return make_customer(alice, name="Nordwerk Automotive GmbH")


@pytest.fixture
def project(customer, alice):
    return make_project(customer, alice, name="SP1003 housing")


@pytest.fixture
def order(project, alice):
    return make_order(project, user=alice)
