"""Credit control in the browser's pages: the sheet's figures, the refused confirmation,
the manager's release with a reason."""

import pytest

from tracecode.care.models import CreditRelease
from tracecode.sales.models import Order

from .helpers import confirmed_order, draft_order, limited_customer

pytestmark = pytest.mark.django_db


def test_the_sheet_shows_exposure_and_headroom(client_of, alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    page = client_of(alice).get(customer.get_absolute_url()).content.decode()
    assert 'id="credit-exposure">CNY 16,685.00' in page
    assert 'id="credit-headroom">CNY 3,315.00' in page


def test_confirming_over_the_limit_shows_the_figures_and_keeps_the_draft(client_of, alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)
    client = client_of(alice)
    answer = client.post(f"/sales/orders/{order.code}/move/confirm/",
                         {"confirm-confirmed_on": "2026-01-05"}, follow=True)  # fmt: skip
    page = answer.content.decode()
    assert "blocked by credit control" in page and "CNY 33,370.00" in page
    assert Order.objects.get(pk=order.pk).state == "draft"


def test_the_manager_releases_on_the_credit_page_with_a_reason(client_of, alice, manager):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)
    client = client_of(manager)
    page = client.get(f"/care/credit/{customer.code}/").content.decode()
    assert order.code in page and "Release for confirmation" in page

    client.post(f"/care/release/{order.code}/", {"reason": "Director approved by phone"})

    release = CreditRelease.objects.get(order=order)
    assert (release.reason, release.released_by) == ("Director approved by phone", manager)
    assert (
        "Director approved by phone"
        in client.get(f"/care/credit/{customer.code}/").content.decode()
    )


def test_the_salesperson_sees_the_block_but_no_release_form(client_of, alice):
    customer = limited_customer(alice)
    confirmed_order(customer)
    draft_order(customer)
    page = client_of(alice).get(f"/care/credit/{customer.code}/").content.decode()
    assert "A manager may release it with a reason." in page
    assert "Release for confirmation" not in page
    assert (
        client_of(alice)
        .post(f"/care/release/{Order.objects.get(state='draft').code}/", {"reason": "x"})
        .status_code
        == 403
    )
    assert not CreditRelease.objects.exists()


def test_bob_sees_nothing_of_alices_credit(client_of, alice, bob):
    customer = limited_customer(alice)
    confirmed_order(customer)
    order = draft_order(customer)
    client = client_of(bob)
    assert client.get(f"/care/credit/{customer.code}/").status_code == 404
    assert client.post(f"/care/release/{order.code}/", {"reason": "x"}).status_code == 404
    assert client.post(f"/care/credit/{customer.code}/assess/", {"level": "A"}).status_code == 404
