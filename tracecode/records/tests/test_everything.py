"""Everything about one number: the record, where it sits, and every kind filed below it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracecode.codes import services as codes
from tracecode.customers import services as customers
from tracecode.customers.models import Communication, Contact
from tracecode.files import services as files
from tracecode.mail import services as mail
from tracecode.mail.models import MailMessage
from tracecode.mail.tests.factories import mail_bytes
from tracecode.sales import services
from tracecode.sales.tests.factories import make_customer, make_order, make_project, order_in

from .helpers import upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tree(alice):
    customer = make_customer(alice, name="Pacific Aero Components Inc.")
    first = make_project(customer, name="SP1003")
    second = make_project(customer, name="BRKT-77")
    sample = order_in("arrived", first)
    services.record_payment(sample, user=alice, values={"amount": "1000"})
    document = services.generate_document(sample, "PI", user=alice)
    complaint = services.open_complaint(
        sample, user=alice, values={"content": "Burrs on edge", "severity": "minor"}
    )
    mass = make_order(first, "mass")
    other = make_order(second)
    return customer, first, second, sample, mass, other, document, complaint


def test_a_customer_code_shows_every_kind_below_it(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    customers.add_contact(Contact(name="Dana Whitfield"), customer=customer, user=alice)
    entry = Communication(channel="call", direction="in", summary="Asked for ETA")
    customers.log_communication(entry, customer=customer, user=alice)
    files.store(first, upload("SP1003 rev B.pdf"), user=alice)
    mail.store_mail(
        mail_bytes(subject=f"[{sample.code}] inspection report"), source=MailMessage.Source.UPLOAD
    )
    mail.import_chat(
        "chat.txt",
        b"3/3/26, 9:05 AM - Zhang Wei: final inspection passed\n",
        alice,
        code=mass.code,
    )
    html = client_of(alice).get(f"/everything/{customer.code}/").content.decode()
    for text in [
        first.code, "SP1003", second.code, sample.code, mass.code, other.code, complaint.number,
        "USD 1,000.00", "Dana Whitfield", "Asked for ETA", f"{first.code} Drawing",
        f"[{sample.code}] inspection report", "final inspection passed",
    ]:  # fmt: skip
        assert text in html, text
    assert f"/sales/documents/{document.pk}/pdf/" in html


def test_an_order_code_shows_that_order_under_its_project_and_customer(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    html = client_of(alice).get(f"/everything/{sample.code}/").content.decode()
    assert sample.code in html and customer.code in html and first.code in html
    assert mass.code not in html and second.code not in html


def test_a_complaint_number_shows_the_complaint_under_its_order(client_of, alice, tree):
    customer, first, second, sample, mass, other, document, complaint = tree
    services.open_complaint(
        sample, user=alice, values={"content": "More burrs", "severity": "minor"}
    )
    response = client_of(alice).get(f"/everything/{sample.code}-2/")
    html = response.content.decode()
    assert response.status_code == 200 and sample.code in html and "More burrs" in html


def test_a_quotation_numbered_by_another_scheme_is_still_under_its_project(client_of, alice):
    codes.load_scheme_file(
        '[scheme.quotation]\nlabel = "Quotation"\npattern = "BJ{YYYY}{MM}{serial:4}"\n'
    )
    project = make_project(make_customer(alice))
    quotation = services.create_quotation(
        project,
        user=alice,
        values={"quoted_on": datetime.date(2026, 12, 1), "valid_until": datetime.date(2027, 1, 1)},
        lines=[{"item": "SP1003", "quantity": "1000", "unit": "pcs", "unit_price": "2.35"}],
    )
    assert quotation.code == "BJ2026120001"
    html = client_of(alice).get(f"/everything/{project.customer.code}/").content.decode()
    assert quotation.code in html
    html = client_of(alice).get(f"/everything/{quotation.code}/").content.decode()
    assert project.code in html and project.customer.code in html


def test_a_code_in_another_case_or_full_width_opens_the_same_page(client_of, alice, tree):
    sample = tree[3]
    for typed in [sample.code.lower(), sample.code.replace("-", "－").replace("S", "Ｓ")]:
        response = client_of(alice).get(f"/everything/{typed}/")
        assert response.status_code == 302 and response["Location"] == f"/everything/{sample.code}/"


def test_the_api_gives_the_same_tree_at_both_addresses(client, alice, tree, token_of):
    customer, first, second, sample, mass, other, document, complaint = tree
    headers = {"Authorization": token_of(alice)}
    body = client.get(f"/api/everything/{first.code}", headers=headers).json()
    assert body["found_as"] == "project" and body["record"]["code"] == first.code
    assert [a["code"] for a in body["above"]] == [customer.code]
    orders = next(g for g in body["record"]["groups"] if g["kind"] == "order")
    assert {o["code"] for o in orders["items"]} == {sample.code, mass.code}
    shown = next(o for o in orders["items"] if o["code"] == sample.code)
    kinds = {g["kind"]: g for g in shown["groups"]}
    assert kinds["document"]["items"][0]["code"] == sample.code
    assert kinds["complaint"]["items"][0]["code"] == complaint.number
    assert kinds["payment"]["items"][0]["title"] == "USD 1,000.00"
    earlier = client.get(f"/api/sales/everything/{first.code}", headers=headers)
    assert earlier.status_code == 200 and earlier.json() == body


def test_long_groups_show_a_page_and_the_rest_on_demand(client, client_of, alice, token_of):
    project = make_project(make_customer(alice))
    for number in range(13):
        drawing = upload(f"drawing {number:02}.pdf", b"%%PDF-1.4 drawing %d" % number)
        files.store(project, drawing, user=alice)  # each its own content: not one file again
    html = client_of(alice).get(f"/everything/{project.code}/").content.decode()
    assert "Show more (10 of 13)" in html
    more = client_of(alice).get(f"/everything/{project.code}/more/file/?offset=10")
    assert more.content.decode().count("<li") == 3
    page = client.get(
        f"/api/everything/{project.code}/file?offset=10", headers={"Authorization": token_of(alice)}
    ).json()
    assert page["total"] == 13 and len(page["items"]) == 3 and page["more"] is False


def test_the_page_costs_the_same_queries_whatever_it_holds(client_of, alice):
    def queries(orders: int) -> int:
        customer = make_customer(alice, name=f"Customer with {orders} orders")
        project = make_project(customer)
        for _ in range(orders):
            order = order_in("confirmed", project)
            services.record_payment(order, user=alice, values={"amount": "10"})
            mail.store_mail(
                mail_bytes(subject=f"[{order.code}] news"), source=MailMessage.Source.UPLOAD
            )
        client = client_of(alice)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/everything/{customer.code}/").status_code == 200
        return len(captured)

    assert queries(1) == queries(6)


def test_a_customers_tree_reads_nothing_filed_under_parts_or_materials(client_of, alice, tree):
    """Order lines, BOM lines and lots are filed under part, material and supplier codes: a
    customer's tree holds none, so they are not read (a salesperson's page read every order
    line joined to its customer for nothing: 235 ms at bench/pages.py's full size)."""
    with CaptureQueriesContext(connection) as captured:
        client_of(alice).get(f"/everything/{tree[0].code}/")
    read = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("registers_part", "registers_material", "registers_supplier"):
        assert f'"{table}"."code" AS "_under"' not in read


def test_bob_finds_nothing_of_alices(client_of, client, alice, bob, tree, token_of):
    customer, first, second, sample, mass, other, document, complaint = tree
    for code in [customer.code, first.code, sample.code, complaint.number]:
        assert client_of(bob).get(f"/everything/{code}/").status_code == 404
        answer = client.get(f"/api/everything/{code}", headers={"Authorization": token_of(bob)})
        assert answer.status_code == 404
    assert client_of(bob).get(f"/everything/{first.code}/more/order/").status_code == 404


def test_an_unknown_code_is_404(client_of, alice, db):
    assert client_of(alice).get("/everything/RK404-1/").status_code == 404


def test_a_code_is_read_only_in_the_kinds_that_hold_it(alice, bob, tree):
    """registry.find asks every kind at once which holds the code, then reads only those
    with the user's visibility: a code nobody has is one statement, not one per kind and
    spelling (bob asking for alice's numbers took 13 to 26, 44 ms a page in the sweep)."""
    from tracecode.codes import registry

    customer, first, second, sample, mass, other, document, complaint = tree

    def asked(code, user):
        with CaptureQueriesContext(connection) as captured:
            found = registry.find(code, user)
        return found, len(captured)

    assert asked("rk404-1", alice) == (None, 1)
    assert asked(first.code.lower(), bob) == (None, 2)  # the kind's visible rows: none
    found, statements = asked(first.code.lower(), alice)
    assert (found.kind.name, found.record, statements) == ("project", first, 2)
    # An order's complaint has the order's number: both kinds hold it, the registry of
    # codes says which comes first, as it did before.
    found, statements = asked(complaint.number, alice)
    assert (found.kind.name, found.record, statements) == ("order", sample, 3)
    assert asked(complaint.number, bob) == (None, 4)
