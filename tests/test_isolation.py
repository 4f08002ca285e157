"""Tests do not reach each other through the database: a test with real transactions ends with
a flush, and the test after it in that worker still finds what the migrations seeded (a sweep
once found no mail template to render, after a browser test had run before it)."""

import pytest

from tracecode.customers.models import Industry
from tracecode.mail.models import MailTemplate
from tracecode.registers.models import MaterialClass

pytestmark = pytest.mark.xdist_group("isolation")


def seeded() -> dict[str, bool]:
    return {
        "templates": MailTemplate.objects.filter(key="follow-up").exists(),
        "lists": Industry.objects.exists(),
        "classes": MaterialClass.objects.exists(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_test_with_real_transactions_starts_from_the_seeds(alice):
    assert seeded() == {"templates": True, "lists": True, "classes": True}


@pytest.mark.django_db(transaction=True)  # pytest-django runs these after the others
def test_the_test_after_it_finds_the_seeds_again(alice):
    assert seeded() == {"templates": True, "lists": True, "classes": True}
