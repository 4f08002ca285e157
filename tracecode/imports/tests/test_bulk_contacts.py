"""A chunk's new contacts are written together (Contacts.save_rows): whatever the sheet holds,
that saves exactly what saving each row through save_row saves: codes under their customers,
history, main contacts."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracecode.customers.models import Contact, MainContactChange
from tracecode.customers.tests.factories import new_contact, new_customer

from . import both_ways
from .both_ways import flawed
from .helpers import run

pytestmark = pytest.mark.django_db

HEADER = ["Customer", "Code", "Name", "Job title", "Email", "Phone", "Main contact",
          "No longer at the company"]  # fmt: skip
# RK001 has a main contact already, RK002 has no contact, RK003 is the administrator's (alice
# may not change it).
GOOD = {
    "Customer": st.sampled_from(["RK001", "RK002", "rk002", "RK003"]),
    "Code": st.sampled_from([None] * 8 + ["RK001-C07", "RK002-C03", "RK001-C01"]),
    "Name": st.sampled_from(["Jonas Weber", "王芳", "佐藤 花子", "Anna Keller"]),
    "Job title": st.sampled_from(["", "采购经理", "Purchasing"]),
    "Email": st.sampled_from(["", "j.weber@nordwerk.example"]),
    "Phone": st.sampled_from(["", "+86 138 0000 0000", "+49 711 7654321"]),
    "Main contact": st.sampled_from(["", "", "no", "yes"]),
    "No longer at the company": st.sampled_from(["", "no", "yes"]),
}
BAD = {"Customer": "RK999", "Name": "", "Email": "bad", "Phone": "not a phone"}
FIRST = {"Customer": "RK002", "Code": None, "Name": "Jonas Weber", "Job title": "",
         "Email": "", "Phone": "", "Main contact": "", "No longer at the company": ""}  # fmt: skip


def rows_of():
    return flawed(GOOD, BAD, clean=30)


def sheet(rows: list[dict]) -> bytes:
    return both_ways.sheet("Contacts", HEADER, rows)


@example(
    rows=[
        FIRST,  # RK002's first contact: its main one
        {**FIRST, "Name": "王芳", "Main contact": "yes"},  # made main in its place
        {**FIRST, "Customer": "RK001", "Name": "佐藤 花子"},
        {**FIRST, "Customer": "RK001", "Code": "RK001-C07", "Name": "Anna Keller"},
        {**FIRST, "Customer": "rk002", "Name": "Li Wei", "Main contact": "yes"},
        {**FIRST, "Customer": "RK001", "Name": "Jonas Weber", "Main contact": "yes"},
    ],
    keep_good=False, chunk=500, as_manager=True,
)  # fmt: skip
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(rows_of(), min_size=1, max_size=12), keep_good=st.booleans(),
       chunk=st.sampled_from([2, 3, 500]), as_manager=st.booleans())  # fmt: skip
def test_bulk_saves_what_row_by_row_saves(
    rows, keep_good, chunk, as_manager, administrator, alice, monkeypatch
):
    user = administrator if as_manager else alice

    def customers():
        nordwerk = new_customer(alice, "Nordwerk Automotive GmbH")  # RK001
        new_contact(nordwerk, alice, "Klaus Fischer")  # RK001-C01, its main contact
        new_customer(alice, "Kowa Seiki K.K.", country="JP")  # RK002
        new_customer(administrator, "Lyon Précision SARL", country="FR")  # RK003

    bulk, one_by_one = both_ways.compared(
        "contacts", user, sheet(rows), keep_good, chunk, monkeypatch, customers
    )
    assert bulk == one_by_one


def test_the_first_contact_is_main_until_a_later_one_is_made_main(alice):
    customer = new_customer(alice, "Kowa Seiki K.K.", country="JP")
    said = (("王芳", ""), ("Jonas Weber", ""), ("佐藤 花子", "yes"))
    rows = [{**FIRST, "Customer": customer.code, "Name": name, "Main contact": main}
            for name, main in said]  # fmt: skip
    outcome = run("contacts", sheet(rows), alice)
    assert outcome.counts()["new"] == 3
    mains = Contact.objects.filter(is_main=True).values_list("name", flat=True)
    assert list(mains) == ["佐藤 花子"]
    changes = MainContactChange.objects.order_by("pk").values_list("previous_name", "new_name")
    assert list(changes) == [("", "王芳"), ("王芳", "佐藤 花子")]
    codes = Contact.objects.order_by("code").values_list("code", flat=True)
    assert list(codes) == ["RK001-C01", "RK001-C02", "RK001-C03"]
