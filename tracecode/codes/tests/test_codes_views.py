import pytest

from .helpers import give

pytestmark = pytest.mark.django_db

FILE = '[scheme.bj]\nlabel = "Quotation"\npattern = "BJ{YYYY}{MM}{serial:4}"\n'


def test_everyone_signed_in_can_explain_a_code(client_of, alice):
    page = client_of(alice).get("/codes/explain/?code=RK1038-1-S1").content.decode()
    assert "customer RK1038; project 1; S = Sample order; 1st" in page


def test_a_malformed_code_shows_where_it_stops_matching(client_of, alice):
    page = client_of(alice).get("/codes/explain/?code=RK1038-X").content.decode()
    assert "RK1038-<mark" in page and "is not a code of any scheme" in page


def test_the_schemes_pages_are_for_administrators_only(client_of, alice, manager):
    for user in (alice, manager):
        assert client_of(user).get("/codes/schemes/").status_code == 404


def test_an_administrator_sees_schemes_counters_and_latest_codes(client_of, administrator):
    give("customer")
    client = client_of(administrator)
    page = client.get("/codes/schemes/").content.decode()
    assert "RK{serial:3+}" in page and "RK001" in page
    detail = client.get("/codes/schemes/customer/").content.decode()
    assert "RK001" in detail and "RK999" not in detail  # it widens: no last code


def test_loading_a_file_shows_a_preview_before_saving(client_of, administrator):
    client = client_of(administrator)
    preview = client.post("/codes/schemes/load/", {"text": FILE, "action": "preview"})
    page = preview.content.decode()
    assert "BJ" in page and "0001" in page and "9999" in page
    assert "bj" not in client.get("/codes/schemes/").content.decode()
    client.post("/codes/schemes/load/", {"text": FILE, "action": "load"})
    assert "BJ{YYYY}{MM}{serial:4}" in client.get("/codes/schemes/").content.decode()


def test_a_bad_file_keeps_the_text_and_lists_the_problems(client_of, administrator):
    text = FILE.replace("serial:4", "serial:0")
    page = (
        client_of(administrator)
        .post("/codes/schemes/load/", {"text": text, "action": "load"})
        .content.decode()
    )
    assert "nothing was loaded" in page and "serial:0" in page


def test_an_administrator_moves_a_counter_forward(client_of, administrator):
    give("customer")
    client = client_of(administrator)
    client.post(
        "/codes/schemes/customer/next/", {"scope": "", "next_serial": 1038, "reason": "old list"}
    )
    assert give("customer") == "RK1038"
