"""The customer list: filters, sorting, pagination; only what the user may see."""

import datetime

import pytest
from django.utils import timezone

from tracecode.customers.models import BusinessStatus

from .factories import industry, new_customer

pytestmark = pytest.mark.django_db


def codes(response):
    return [c.code for c in response.context["page"]]


@pytest.fixture
def archive(alice, bob):
    today = timezone.localdate()
    industry()
    status = BusinessStatus.objects.get(code="paused")
    new_customer(alice, "Nordwerk Automotive GmbH", country="DE", industry=industry("automotive"))
    new_customer(alice, "Lyon Précision Médicale SARL", country="FR", industry=industry("medical"),
                 next_step_due=today - datetime.timedelta(days=2))  # fmt: skip
    new_customer(alice, "深圳华联医疗器械有限公司", country="CN", status=status,
                 next_step_due=today + datetime.timedelta(days=20))  # fmt: skip
    new_customer(bob, "Osaka Kiki Seisakusho", country="JP")


def test_each_filter_narrows_the_list(client_of, alice, archive):
    client = client_of(alice)
    assert codes(client.get("/customers/")) == ["RK001", "RK002", "RK003"]
    assert codes(client.get("/customers/?country=FR")) == ["RK002"]
    assert codes(client.get("/customers/?industry=automotive")) == ["RK001"]
    assert codes(client.get("/customers/?status=paused")) == ["RK003"]
    assert codes(client.get("/customers/?due=due")) == ["RK002"]
    assert codes(client.get("/customers/?market=domestic")) == ["RK003"]
    assert codes(client.get("/customers/?owner=alice&country=DE")) == ["RK001"]
    assert codes(client.get("/customers/?q=lyon")) == ["RK002"]


def test_sorting(client_of, alice, archive):
    client = client_of(alice)
    assert codes(client.get("/customers/?sort=-code")) == ["RK003", "RK002", "RK001"]
    assert codes(client.get("/customers/?sort=due")) == ["RK002", "RK003", "RK001"]


def test_bobs_customers_are_not_counted_for_alice(client_of, alice, archive):
    response = client_of(alice).get("/customers/?owner=bob")
    assert codes(response) == []
    assert "0 customers" in response.content.decode()
    assert "Osaka" not in client_of(alice).get("/customers/").content.decode()


def test_a_manager_sees_all(client_of, manager, archive):
    assert len(codes(client_of(manager).get("/customers/"))) == 4


def test_pages_of_25(client_of, alice):
    for n in range(30):
        new_customer(alice, f"Kunde {n}")
    client = client_of(alice)
    assert len(codes(client.get("/customers/"))) == 25
    second = client.get("/customers/?page=2")
    assert codes(second) == [f"RK0{n}" for n in range(26, 31)]


def test_a_bad_filter_value_says_so(client_of, alice, archive):
    response = client_of(alice).get("/customers/?country=XX")
    assert "Select a valid choice" in response.content.decode()


def test_archived_customers_are_left_out_unless_asked_for(client_of, alice, archive):
    client = client_of(alice)
    client.post("/customers/RK001/archive/")
    assert codes(client.get("/customers/")) == ["RK002", "RK003"]
    assert codes(client.get("/customers/?archived=archived")) == ["RK001"]


def test_codes_sort_as_numbers_within_their_prefix(client_of, alice):
    from .factories import make_customer

    make_customer(alice, code="RK1038")
    make_customer(alice, code="RK888")
    assert codes(client_of(alice).get("/customers/")) == ["RK888", "RK1038"]


def test_the_class_filter_uses_the_computed_class_or_the_one_set_by_hand(
    client_of, alice, archive, monkeypatch
):
    from tracecode.customers import standing
    from tracecode.customers.models import Customer

    standing.ranking()  # today's ranking, then the classes as if the orders had given them
    Customer.objects.filter(code="RK001").update(computed_class="A")
    Customer.objects.filter(code="RK002").update(computed_class="C")
    Customer.objects.filter(code="RK002").update(
        class_override="A", class_override_reason="Strategic account"
    )
    client = client_of(alice)
    assert codes(client.get("/customers/?contribution=A")) == ["RK001", "RK002"]
    assert codes(client.get("/customers/?contribution=C")) == []
    page = client.get("/customers/").content.decode()
    assert page.count('<td class="d-none d-lg-table-cell">A</td>') == 2
