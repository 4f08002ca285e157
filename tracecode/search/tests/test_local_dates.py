"""Dates beside results are the day it was where the company works (TRACECODE_TIME_ZONE), on the
results page and in the API, not the day in UTC."""

import datetime

import pytest

from tracecode.search.services import search

from .factories import entry, family

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tracecode.search.tests.urls")]

# 23:30 in London on 9 March is 07:30 on 10 March in Ningbo, 19:30 on 9 March in New York.
LATE_EVENING_UTC = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)


def late_mail(owner):
    nordwerk = family(owner)
    entry("mail", "RK1038-1-S1", "Re: shipment booked", nordwerk, date=LATE_EVENING_UTC)


def test_the_index_holds_the_local_day(alice, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    late_mail(alice)
    (hit,) = search(alice, "shipment booked").groups[0].hits
    assert hit.date == datetime.date(2026, 3, 10)


def test_the_day_follows_the_companys_time_zone(alice, settings):
    settings.TIME_ZONE = "America/New_York"
    late_mail(alice)
    (hit,) = search(alice, "shipment booked").groups[0].hits
    assert hit.date == datetime.date(2026, 3, 9)


def test_the_results_page_shows_the_local_day(alice, client_of, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    late_mail(alice)
    page = client_of(alice).get("/search/", {"q": "shipment booked"}).content.decode()
    assert "2026-03-10" in page and "2026-03-09" not in page


def test_the_api_gives_the_local_day(client, alice, token_of, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    late_mail(alice)
    body = client.get(
        "/api/search", {"q": "shipment booked"}, headers={"Authorization": token_of(alice)}
    ).json()
    assert body["groups"][0]["hits"][0]["date"] == "2026-03-10"
