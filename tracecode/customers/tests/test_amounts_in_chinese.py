"""Amounts are grouped by thousands in Chinese as in English: 1,234,567.50."""

from decimal import Decimal

import pytest
from django.utils import formats, translation

from .factories import new_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_grouped_amount_has_thousands_separators(language):
    with translation.override(language):
        assert formats.number_format(Decimal("1234567.5"), 2, force_grouping=True) == (
            "1,234,567.50"
        )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_credit_limit_on_the_sheet(client_of, alice, language):
    customer = new_customer(alice, credit_limit=Decimal("1234567.5"))
    client = client_of(alice)
    client.cookies["django_language"] = language
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "1,234,567.50" in page


def test_a_number_typed_in_a_form_keeps_no_separator_in_chinese(client_of, alice):
    customer = new_customer(alice, credit_limit=Decimal("1234567.5"))
    client = client_of(alice)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/customers/{customer.code}/edit/").content.decode()
    assert 'value="1234567.50"' in page
