"""Contacts, the communication log, projects, quotations, payments and the registers, each
imported through its own form and service."""

from decimal import Decimal

import pytest

from tracecode.customers.models import Communication, Contact, MainContactChange
from tracecode.customers.tests.factories import new_contact
from tracecode.registers.models import Material, Part, Supplier
from tracecode.registers.tests.factories import make_material
from tracecode.sales.models import Payment, Project, Quotation
from tracecode.sales.tests.factories import (
    days,
    make_customer,
    make_order,
    make_project,
    move,
    order_in,
)

from .helpers import run, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(alice):
    return make_customer(alice, "Nordwerk Automotive GmbH", country="DE")


def test_contacts_get_codes_under_their_customer_and_one_is_main(alice, customer):
    outcome = run("contacts", xlsx(("Contacts", [
        ["Customer", "Name", "Email", "Phone", "Main contact"],
        [customer.code, "Jonas Weber", "j.weber@nordwerk.example", "0711 7654321", "no"],
        [customer.code, "Anna Keller", "", "", "yes"],
    ])), alice)  # fmt: skip
    assert outcome.new == 2, outcome.problems
    jonas, anna = Contact.objects.order_by("code")
    assert (jonas.code, anna.code) == (f"{customer.code}-C01", f"{customer.code}-C02")
    assert jonas.phone == "+497117654321"
    assert anna.is_main and MainContactChange.objects.filter(new=anna).exists()


def test_a_contact_stays_with_its_customer(alice, customer):
    contact = new_contact(customer, alice)
    other = make_customer(alice, "Other GmbH")
    outcome = run("contacts", xlsx(("Contacts", [["Code", "Customer", "Name"],
                                                 [contact.code, other.code, "Jonas"]])),
                  alice)  # fmt: skip
    assert "it stays there" in str(outcome.problems[0])


def test_the_log_adds_what_is_not_there_yet(alice, customer):
    rows = [
        ["Customer", "Date", "Channel", "Direction", "Summary"],
        [customer.code, "2026-03-02", "Call", "To the customer", "Asked about volumes"],
    ]
    assert run("log", xlsx(("Log", rows)), alice).new == 1
    assert run("log", xlsx(("Log", rows)), alice).unchanged == 1
    assert Communication.objects.get().channel == "call"


def test_projects_are_numbered_from_their_customer(alice, customer):
    outcome = run("projects", xlsx(("Projects", [
        ["Customer", "Project name", "Status", "Reason lost"],
        [customer.code, "SP1003", "", ""],
        [customer.code, "SP2000", "lost", "Price too high"],
    ])), alice)  # fmt: skip
    assert outcome.new == 2, outcome.problems
    assert list(Project.objects.order_by("code").values_list("code", "status")) == [
        (f"{customer.code}-1", "new"), (f"{customer.code}-2", "lost")]  # fmt: skip


def test_quotations_and_their_lines(alice, customer):
    project = make_project(customer, alice)
    outcome = run("quotations", xlsx(
        ("Quotations", [["Ref", "Project", "Valid until", "Incoterm"],
                        ["Q", project.code, days(30), "FOB"]]),
        ("Quotation lines", [["Quotation", "Item", "Quantity", "Unit price"],
                             ["Q", "SP1003", 1000, 2.45], ["Q", "SP1003", 5000, 2.2]]),
    ), alice)  # fmt: skip
    assert outcome.new == 1, outcome.problems
    quotation = Quotation.objects.get()
    assert quotation.code == f"{project.code}-Q1"
    assert [li.unit_price for li in quotation.lines.all()] == [Decimal("2.45"), Decimal("2.2")]


def test_payments_of_confirmed_orders_and_never_twice(alice, customer):
    order = move(make_order(make_project(customer, alice)), "confirm")
    rows = [
        ["Order", "Received on", "Amount", "Bank reference"],
        [order.code, days(0), 100, "TT-1"],
    ]
    assert run("payments", xlsx(("Payments", rows)), alice).new == 1
    assert run("payments", xlsx(("Payments", rows)), alice).unchanged == 1
    order.refresh_from_db()
    assert order.paid == Decimal("100.00") and Payment.objects.count() == 1


def test_a_payment_of_a_draft_order_is_refused(alice, customer):
    order = make_order(make_project(customer, alice))
    outcome = run("payments", xlsx(("Payments", [["Order", "Received on", "Amount"],
                                                 [order.code, days(0), 1]])), alice)  # fmt: skip
    assert "no payment can be recorded" in str(outcome.problems[0])


def test_parts_of_a_customer(alice, customer):
    outcome = run("parts", xlsx(("Parts", [
        ["Customer", "Customer's part number", "Name", "Category", "Type", "HS code",
         "Country of origin"],
        [customer.code, "MB-200", "Manifold block", "01", "04", "8481.90.00", "China"],
    ])), alice)  # fmt: skip
    assert outcome.new == 1, outcome.problems
    part = Part.objects.get()
    assert (part.code, part.hs_code, part.origin) == ("01-04-001", "84819000", "CN")


def test_materials_take_their_subclass_from_an_old_code(administrator):
    outcome = run("materials", xlsx(("Materials", [["Code", "Name"],
                                                   ["01.01.00042", "CPIDE131218DA1"]])),
                  administrator)  # fmt: skip
    assert outcome.new == 1, outcome.problems
    material = Material.objects.get()
    assert (material.subclass, material.material_class) == ("01.01", "01")
    assert make_material("01.01", "Next").code == "01.01.00043"


def test_a_sales_user_keeps_no_register_of_materials(alice):
    from tracecode.imports import sheets

    assert not sheets.get("materials").may_import(alice)
    assert sheets.get("parts").may_import(alice)


def test_suppliers_with_what_they_supply(administrator):
    base = make_material()
    outcome = run("suppliers", xlsx(("Suppliers", [
        ["Name", "Region code", "Materials supplied", "What it supplies"],
        ["宁波铝业", "330200", base.code, "01.01|01.03"],
    ])), administrator)  # fmt: skip
    assert outcome.new == 1, outcome.problems
    supplier = Supplier.objects.get()
    assert supplier.code.startswith("S330200")
    assert list(supplier.materials.all()) == [base]
    assert supplier.subclasses == ["01.01", "01.03"]


def test_undoing_a_payments_import_takes_the_money_back_from_the_order(alice, customer):
    from tracecode.imports import services
    from tracecode.sales.models import OrderEvent

    order = move(make_order(make_project(customer, alice)), "confirm")
    owed = type(customer).objects.get(pk=customer.pk).balances
    data = xlsx(("Payments", [["Order", "Received on", "Amount", "Bank reference"],
                              [order.code, days(0), 100, "TT-1"],
                              [order.code, days(0), 50, "TT-2"]]))  # fmt: skip
    run_, outcome = services.run_now(alice, "payments", data, "p.xlsx", commit=True)
    assert outcome.new == 2, outcome.problems
    order.refresh_from_db()
    assert order.paid == Decimal("150.00")
    services.undo(run_, user=alice)
    order.refresh_from_db()
    assert order.paid == Decimal("0.00") and not Payment.objects.exists()
    assert type(customer).objects.get(pk=customer.pk).balances == owed != {}
    taken = OrderEvent.objects.filter(order=order, action="payment_removed")
    assert taken.count() == 2 and "import" in taken.first().note


def test_a_payment_that_made_its_order_paid_is_not_taken_back(alice, customer):
    from tracecode.imports import services

    order = order_in("reconciled", make_project(customer, alice))
    data = xlsx(("Payments", [["Order", "Received on", "Amount"],
                              [order.code, days(0), order.balance]]))  # fmt: skip
    run_, outcome = services.run_now(alice, "payments", data, "p.xlsx", commit=True)
    assert outcome.new == 1, outcome.problems
    order.refresh_from_db()
    assert order.state == "paid"
    with pytest.raises(services.ImportRefused, match="is paid"):
        services.undo(run_, user=alice)
    assert Payment.objects.count() == 1
