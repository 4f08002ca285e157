"""The value, class and last contact kept on the customer follow its orders and contacts in
the same transaction, and agree with the classes computed live."""

import datetime

import pytest
from django.utils import timezone

from tracecode.customers import standing
from tracecode.customers.models import Communication, Customer
from tracecode.sales.figures import contribution_classes

from .factories import line, make_customer, make_order, make_project, move

pytestmark = pytest.mark.django_db


def place(customer, amount: str, currency="CNY"):
    """A confirmed mass order of `customer` worth `amount`."""
    today = timezone.localdate()
    order = make_order(
        make_project(customer), "mass", currency=currency, ordered_on=today,
        delivery_date=today + datetime.timedelta(30), lines=[line(quantity="1", price=amount)],
    )  # fmt: skip
    return move(order, "confirm")


def kept(customer) -> str:
    return Customer.objects.get(pk=customer.pk).contribution_class


def test_a_new_order_moves_its_customers_class(alice):
    big, small = make_customer(alice, name="Big"), make_customer(alice, name="Small")
    newcomer = make_customer(alice, name="Newcomer")
    place(big, "1000")
    place(small, "100")
    assert (kept(big), kept(small), kept(newcomer)) == ("A", "B", "")

    place(small, "5000")  # Small now makes 5,100 of 6,100: ranked first

    assert (kept(big), kept(small)) == ("B", "A")
    assert Customer.objects.get(pk=small.pk).value_12m == 5100
    assert Customer.objects.get(pk=small.pk).confirmed_orders == 2


def test_orders_per_year_follow_the_confirmed_orders(alice, client_of):
    customer = make_customer(alice, name="Nordwerk")
    first = place(customer, "100")
    year = str(first.confirmed_on.year)
    assert Customer.objects.get(pk=customer.pk).orders_per_year == {year: 1}
    second = place(customer, "200")
    assert Customer.objects.get(pk=customer.pk).orders_per_year == {year: 2}
    Order = type(second)
    Order.objects.filter(pk=second.pk).update(confirmed_on=datetime.date(2024, 3, 1))
    second.refresh_from_db()
    move(second, "cancel")  # a cancelled order is no confirmed order of any year
    assert Customer.objects.get(pk=customer.pk).orders_per_year == {year: 1}
    page = client_of(alice).get(customer.get_absolute_url()).content.decode()
    assert f"<div>{year}: 1</div>" in page  # the sheet shows what is kept


def test_a_cancelled_order_gives_its_class_back(alice):
    big, small = make_customer(alice, name="Big"), make_customer(alice, name="Small")
    place(big, "1000")
    place(small, "100")
    large = place(small, "5000")
    move(large, "cancel")
    assert (kept(big), kept(small)) == ("A", "B")


def test_kept_classes_are_the_live_ones(alice):
    for n, amount in enumerate(["70000", "15000", "9000", "4000", "2000"]):
        place(make_customer(alice, name=f"Customer {n}"), amount)
    make_customer(alice, name="No orders yet")
    standing.refresh_all()
    live = contribution_classes(Customer.objects.all())
    assert {c.pk: c.computed_class for c in Customer.objects.all() if c.computed_class} == live


def test_an_edit_loaded_before_an_order_keeps_the_orders_figures(alice):
    customer = make_customer(alice, name="Early")
    loaded = Customer.objects.get(pk=customer.pk)
    place(customer, "100")
    loaded.remark = "Edited from a sheet opened before the order"
    loaded.save()
    assert kept(customer) == "A" and Customer.objects.get(pk=customer.pk).value_12m == 100


def test_the_last_contact_follows_the_log(alice):
    customer = make_customer(alice, name="Talkative")
    entry = Communication.objects.create(
        customer=customer, channel="mail", direction="in", date=datetime.date(2026, 3, 4),
        summary="Asked for samples",
    )  # fmt: skip
    assert Customer.objects.get(pk=customer.pk).last_contact_on == datetime.date(2026, 3, 4)
    entry.delete()
    assert Customer.objects.get(pk=customer.pk).last_contact_on is None


def test_classes_are_ranked_again_on_a_new_day(alice):
    customer = make_customer(alice, name="Regular")
    place(customer, "100")
    standing.ranking()
    Customer.objects.filter(pk=customer.pk).update(computed_class="C")  # as ranked yesterday
    standing.ClassRanking.objects.update(day=timezone.localdate() - datetime.timedelta(1))
    assert standing.ranking().just_now
    assert kept(customer) == "A"


def test_inside_deferred_the_figures_follow_once_when_it_ends(alice):
    big, small = make_customer(alice, name="Big"), make_customer(alice, name="Small")
    with standing.deferred():
        place(big, "1000")
        place(small, "100")
        assert (kept(big), kept(small)) == ("", "")  # not yet
    assert (kept(big), kept(small)) == ("A", "B")
    assert Customer.objects.get(pk=small.pk).value_12m == 100


def test_an_error_inside_deferred_refreshes_nothing(alice):
    big = make_customer(alice, name="Big")
    with pytest.raises(ZeroDivisionError), standing.deferred():
        place(big, "1000")
        raise ZeroDivisionError
    assert kept(big) == ""
