"""A new kind's label is one registration: the print page, the PDF and the menu follow."""

import pytest
from django.template import Context, Template

from tracecode.labels import sources
from tracecode.labels.sources import Label

from .helpers import decoded, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder_label():
    """A label for the customer kind, as the materials register will add one for materials."""
    sources.register(
        sources.Source(
            "folder",
            "customer",
            "Folder label",
            labels=sources.copies(lambda customer: Label(customer.code, customer.company_name)),
        )
    )
    yield
    sources.unregister("folder")


def test_a_registered_source_prints_for_its_kind(client_of, alice, customer, folder_label):
    client = client_of(alice)
    assert client.get(f"/labels/folder/{customer.code}/").status_code == 200
    response = client.get(f"/labels/folder/{customer.code}/pdf", {"size": "roll", "count": "1"})
    assert "Nordwerk Automotive GmbH" in page_text(response.content)
    assert ("Code128", customer.code) in decoded(response.content)[0]


def test_the_menu_lists_the_sources_of_a_records_kind(customer, order, folder_label):
    menu = Template("{% load labels %}{% labels_menu record %}")
    for_customer = menu.render(Context({"record": customer}))
    assert "Folder label" in for_customer and "Carton labels" not in for_customer
    for_order = menu.render(Context({"record": order}))
    assert "Order label" in for_order and "Carton labels" in for_order
    assert "Folder label" not in for_order


def test_a_record_of_another_kind_is_not_found_under_its_source(
    client_of, alice, order, folder_label
):
    assert client_of(alice).get(f"/labels/folder/{order.code}/").status_code == 404


def test_fixed_words_print_in_both_languages():
    from tracecode.sales.models import Order

    assert sources.both_languages(Order.Kind.SAMPLE.label) == "Sample order 样品订单"


def test_the_everything_page_offers_the_labels_of_any_kind(
    client_of, alice, customer, order, folder_label
):
    client = client_of(alice)
    page = client.get(f"/everything/{customer.code}/").content.decode()
    assert f'href="/labels/folder/{customer.code}/">Folder label</a>' in page
    page = client.get(f"/everything/{order.code}/").content.decode()
    assert f'href="/labels/cartons/{order.code}/">Carton labels</a>' in page
