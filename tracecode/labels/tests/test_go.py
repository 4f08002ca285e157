"""/go/<code>: what a scanned label or a scanner's keystrokes open, through the record registry."""

import dataclasses
import re

import pytest

from tracecode.codes import registry
from tracecode.sales import services
from tracecode.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


def test_an_order_code_opens_the_order_page(client_of, alice, order):
    response = client_of(alice).get(f"/go/{order.code}")
    assert response.status_code == 302
    assert response["Location"] == f"/sales/orders/{order.code}/"


def test_every_kind_opens_its_own_page(client_of, alice, order):
    client = client_of(alice)
    order = services.transition(
        order, "confirm", user=alice, data={"confirmed_on": order.ordered_on}
    )
    for content in ("Two parts scratched.", "One carton wet."):  # the 2nd has a code of its own
        complaint = services.open_complaint(order, user=alice, values={"content": content})
    assert complaint.number == f"{order.code}-2"
    assert client.get(f"/go/{order.project.customer.code}")["Location"] == (
        f"/customers/{order.project.customer.code}/"
    )
    assert client.get(f"/go/{order.project.code}")["Location"] == (
        f"/sales/projects/{order.project.code}/"
    )
    assert client.get(f"/go/{complaint.number}")["Location"] == (
        f"/sales/complaints/{complaint.number}/"
    )


def test_a_trailing_slash_opens_it_too(client_of, alice, order):
    assert client_of(alice).get(f"/go/{order.code}/")["Location"] == order.get_absolute_url()


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "{lower}",
        "{full_width}",  # typed with a Chinese input method in full-width mode
        " {code}\u200b",  # a stray space and a zero-width space pasted along
    ],
)
def test_any_letter_case_and_full_width_open_the_same_record(client_of, alice, order, typed):
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in order.code)
    path = typed.format(code=order.code, lower=order.code.lower(), full_width=full_width)
    response = client_of(alice).get(f"/go/{path}")
    assert response["Location"] == f"/sales/orders/{order.code}/"


def test_the_chinese_full_stop_is_read_as_a_dot():
    assert registry.normalise("01。01。00001") == "01.01.00001"
    assert registry.normalise("０１．０１．００００１") == "01.01.00001"


def test_bob_gets_the_same_404_for_alices_code_as_for_an_unknown_one(client_of, bob, order):
    client = client_of(bob)
    hidden = client.get(f"/go/{order.code}")
    unknown = client.get("/go/RK9999-9-S9")
    assert hidden.status_code == unknown.status_code == 404
    assert same_page(hidden) == same_page(unknown)


def same_page(response) -> str:
    """The page without what differs by request: the CSRF token and the address typed (the
    language switch returns to it)."""
    page = response.content.decode()
    page = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', r"\1TOKEN", page)
    return re.sub(r'name="next" value="[^"]*"', 'name="next"', page)


def test_a_code_shared_with_bob_opens_for_him(client_of, bob, alice, project):
    from tracecode.customers.models import CustomerShare

    CustomerShare.objects.create(customer=project.customer, user=bob)
    order = make_order(project, user=alice)
    assert client_of(bob).get(f"/go/{order.code}")["Location"] == order.get_absolute_url()


def test_signing_in_comes_first_then_the_code_opens(client, alice, order):
    response = client.get(f"/go/{order.code}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next=/go/{order.code}"


def test_from_the_search_box_a_word_that_is_no_code_shows_the_results(client_of, alice, bob, order):
    response = client_of(alice).get("/go/Nordwerk", {"from": "search"})
    assert response["Location"] == "/search/?q=Nordwerk"
    hidden = client_of(bob).get(f"/go/{order.code}", {"from": "search"})
    assert hidden["Location"] == f"/search/?q={order.code}"


def test_a_kind_without_a_page_of_its_own_lands_on_its_everything_page(
    client_of, alice, order, monkeypatch
):
    project = registry.kind("project")
    monkeypatch.setitem(
        registry._kinds,
        "project",
        dataclasses.replace(project, row=lambda record: registry.Row(title=record.name)),
    )
    response = client_of(alice).get(f"/go/{order.project.code.lower()}")
    assert response["Location"] == f"/everything/{order.project.code}/"
