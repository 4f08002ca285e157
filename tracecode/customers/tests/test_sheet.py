"""The Customer Information Sheet: every field of SPEC §3 on one page, the figures derived
from records (never typed), printable, in English and Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tracecode.customers import services, standing
from tracecode.customers.figures import CustomerFigures
from tracecode.customers.models import Communication, Direction

from .factories import industry, new_contact, new_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordwerk(alice):
    customer = new_customer(
        alice, "Nordwerk Automotive GmbH", country="DE", city="Stuttgart",
        email="einkauf@nordwerk-automotive.de", industry=industry("automotive"),
        nda_signed=True, nda_date=datetime.date(2026, 3, 2), satisfaction=4,
        packaging_requirements="VCI bags, 20 pcs per carton", is_key_account=True,
        next_step="Resume contact at the end of the month",
    )  # fmt: skip
    new_contact(customer, alice, "Jonas Weber", job_title="Buyer")
    return customer


def test_the_sheet_shows_every_group_of_spec_3(client_of, alice, nordwerk):
    page = client_of(alice).get("/customers/RK001/").content.decode()
    for heading in ["Basic information", "Contacts", "Communication log", "Business follow-up",
                    "Cooperation", "Classification and credit", "History"]:  # fmt: skip
        assert heading in page, heading
    for value in ["Jonas Weber", "Germany", "Stuttgart", "Automotive", "2026-03-02", "4 / 5",
                  "VCI bags, 20 pcs per carton", "key account",
                  "Resume contact at the end of the month"]:  # fmt: skip
        assert value in page, value
    assert "data-print" in page and "customers.js" in page


def kept_class(customer, value):
    """The class kept on the customer as if its orders had ranked it so, today."""
    standing.ranking()
    type(customer).objects.filter(pk=customer.pk).update(computed_class=value)


def test_derived_figures_come_from_the_sales_records(client_of, alice, nordwerk, monkeypatch):
    figures = CustomerFigures(
        quotes=7,
        first_quotation=datetime.date(2025, 11, 4),
        first_cooperation=datetime.date(2026, 1, 15),
        orders_per_year={2025: 1, 2026: 4},
        order_value_12m=Decimal("880000"),
        has_orders=True,
    )
    monkeypatch.setattr(services, "customer_figures", lambda customer: figures)
    kept_class(nordwerk, "A")
    response = client_of(alice).get("/customers/RK001/")
    page = response.content.decode()
    assert 'id="quotes">7<' in page
    assert "2025-11-04" in page and "2026-01-15" in page
    assert "2026: 4" in page
    assert 'id="response-status">order placed<' in page
    sheet = response.context["sheet"]
    assert sheet.contribution_class == "A" and not sheet.class_is_set_by_hand
    assert 'id="classes-as-of"' in page  # when the classes were ranked
    assert "Delete" not in page.split('id="basic"')[0]  # once it has orders: archive only


def test_until_sales_lands_the_figures_are_zero_or_empty(client_of, alice, nordwerk):
    sheet = client_of(alice).get("/customers/RK001/").context["sheet"]
    assert sheet.figures.quotes == 0 and sheet.figures.first_quotation is None
    assert sheet.contribution_class == ""


def test_a_class_set_by_hand_wins_and_shows_its_reason(client_of, alice, nordwerk, monkeypatch):
    kept_class(nordwerk, "C")
    nordwerk.class_override, nordwerk.class_override_reason = "A", "Strategic OEM account"
    nordwerk.save()
    page = client_of(alice).get("/customers/RK001/").content.decode()
    assert "Strategic OEM account" in page
    assert services.classes_of(type(nordwerk).objects.all()) == {nordwerk.pk: "A"}


def test_communication_figures_follow_from_the_log(alice, nordwerk):
    today = datetime.date(2026, 11, 23)
    for day, direction in [(datetime.date(2026, 9, 3), Direction.OUTGOING),
                           (datetime.date(2026, 10, 8), Direction.INCOMING),
                           (datetime.date(2026, 11, 2), Direction.OUTGOING),
                           (datetime.date(2026, 11, 20), Direction.OUTGOING)]:  # fmt: skip
        Communication.objects.create(
            customer=nordwerk, channel="mail", direction=direction, date=day, summary="…"
        )
    standing.refresh_contacts([nordwerk.pk], today=today)  # counted as of that day
    nordwerk.refresh_from_db()
    summary = services.communication_summary(nordwerk)
    assert summary.last_contact == datetime.date(2026, 11, 20)
    assert summary.per_month == Decimal("1.3")  # 4 entries in Sep–Nov / 3
    assert summary.response_status == "no_reply"
    assert summary.months[-3:] == [
        (datetime.date(2026, 9, 1), 1), (datetime.date(2026, 10, 1), 1),
        (datetime.date(2026, 11, 1), 2),
    ]  # fmt: skip
    Communication.objects.create(
        customer=nordwerk, channel="whatsapp", direction=Direction.INCOMING,
        date=datetime.date(2026, 11, 21), summary="OK for the samples",
    )  # fmt: skip
    nordwerk.refresh_from_db()
    summary = services.communication_summary(nordwerk)
    assert summary.response_status == "reply_received"


def test_logging_a_whatsapp_conversation_on_the_sheet(client_of, alice, nordwerk):
    client = client_of(alice)
    today = timezone.localdate().isoformat()
    response = client.post(
        "/customers/RK001/log/",
        {"date": today, "channel": "whatsapp", "direction": "in", "contact": "RK001-C01",
         "summary": "Jonas confirms the drawing revision C"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/customers/RK001/").content.decode()
    assert "Jonas confirms the drawing revision C" in page
    assert f'id="last-contact">{today}<' in page


def test_the_sheet_in_chinese(client_of, alice, nordwerk):
    client = client_of(alice)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/customers/RK001/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "德国" in page and "汽车" in page


def test_archiving_and_deleting_from_the_sheet(client_of, alice, bob):
    new_customer(alice, "Entered By Mistake Ltd")
    new_customer(alice, "Old Customer Ltd")
    client = client_of(alice)
    assert client.get("/customers/RK001/delete/").status_code == 200
    assert client.post("/customers/RK001/delete/").status_code == 302
    assert client.get("/customers/RK001/").status_code == 404
    client.post("/customers/RK002/archive/")
    assert "Archived on" in client.get("/customers/RK002/").content.decode()
    client.post("/customers/RK002/restore/")
    assert "Archived on" not in client.get("/customers/RK002/").content.decode()


def test_only_the_owner_or_a_manager_archives_shares_or_deletes(client_of, alice, bob):
    new_customer(alice, shared_with=[bob])
    client = client_of(bob)
    assert client.post("/customers/RK001/archive/").status_code == 403
    assert client.get("/customers/RK001/sharing/").status_code == 403
    assert client.post("/customers/RK001/delete/").status_code == 403
