"""A customer list from Excel: codes respected, every row checked by the customer form, the
history says where a record came from, search finds it."""

import datetime

import pytest

from tracecode.codes.models import CodeEntry
from tracecode.codes.services import create_with_code
from tracecode.customers.models import ChangeRecord, Customer
from tracecode.customers.tests.factories import new_customer
from tracecode.search.services import search

from .helpers import run, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Company name", "Country", "Phone", "Industry", "Email"]


def customers(*rows):
    return xlsx(("Customers", [HEADER, *rows]))


def test_rows_without_a_code_get_the_next_codes_of_the_scheme(administrator, lists):
    outcome = run("customers", customers(
        [None, "Nordwerk Automotive GmbH", "Germany", "+49 711 1234567", "Automotive", ""],
        [None, "Lyon Précision Médicale SARL", "FR", "", "医疗器械", ""],
    ), administrator)  # fmt: skip
    assert outcome.counts() == {"new": 2, "updated": 0, "unchanged": 0, "failed": 0}
    nordwerk = Customer.objects.get(company_name="Nordwerk Automotive GmbH")
    assert (nordwerk.code, nordwerk.country, nordwerk.phone) == ("RK001", "DE", "+497111234567")
    assert nordwerk.industry.code == "automotive"
    assert Customer.objects.get(code="RK002").industry.code == "medical"


def test_an_old_code_is_kept_and_the_next_new_customer_follows_it(administrator, lists):
    run(
        "customers",
        customers(
            ["RK1037", "Pacific Aero", "US", "", "", ""], [None, "Next One Ltd", "GB", "", "", ""]
        ),
        administrator,
    )
    assert Customer.objects.get(company_name="Pacific Aero").code == "RK1037"
    assert CodeEntry.objects.get(code="RK1037").origin == "imported"
    assert Customer.objects.get(company_name="Next One Ltd").code == "RK1038"


def test_a_code_that_breaks_the_scheme_fails_and_is_never_changed(administrator, lists):
    outcome = run("customers", customers(["R-K7", "Broken Code AG", "DE", "", "", ""]),
                  administrator, keep_good=True)  # fmt: skip
    assert outcome.failed == 1
    problem = outcome.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Customers", 2, "Code")
    assert "R-K7 is not a customer code" in problem.message
    assert not Customer.objects.exists()


def test_an_existing_code_updates_only_the_columns_given(administrator, lists):
    customer = new_customer(administrator, "Nordwerk Automotive GmbH", country="DE",
                            city="Stuttgart", remark="Keep me")  # fmt: skip
    data = xlsx(
        (
            "Customers",
            [
                ["Code", "City", "Next step due"],
                [customer.code, "Esslingen", datetime.date(2026, 6, 1)],
            ],
        )
    )
    outcome = run("customers", data, administrator)
    assert outcome.counts()["updated"] == 1
    customer.refresh_from_db()
    assert (customer.city, customer.remark, customer.country) == ("Esslingen", "Keep me", "DE")
    assert customer.next_step_due == datetime.date(2026, 6, 1)
    changed = ChangeRecord.objects.filter(customer=customer, field="city").get()
    assert (changed.old_value, changed.new_value) == ("Stuttgart", "Esslingen")


def test_a_row_that_says_what_is_already_there_is_unchanged(administrator, lists):
    customer = new_customer(administrator, "Nordwerk Automotive GmbH", country="DE")
    outcome = run("customers", xlsx(("Customers", [["Code", "Country", "Company name"],
                                                   [customer.code, "德国",
                                                    "Nordwerk Automotive GmbH"]])),
                  administrator)  # fmt: skip
    assert outcome.counts() == {"new": 0, "updated": 0, "unchanged": 1, "failed": 0}
    assert customer.changes.count() == 1  # only its creation


def test_each_bad_row_names_sheet_row_column_and_why(administrator, lists):
    outcome = run("customers", customers(
        [None, "Good GmbH", "DE", "", "", ""],
        [None, "", "DE", "", "", ""],
        [None, "Bad Mail Ltd", "GB", "", "", "not-an-address"],
        [None, "Nowhere Inc", "Narnia", "", "", ""],
    ), administrator)  # fmt: skip
    assert outcome.failed == 3
    where = [(p.row, p.column) for p in outcome.problems]
    assert where == [(3, "Company name"), (4, "Email"), (5, "Country")]
    assert "Narnia is not one of the choices" in outcome.problems[2].message
    assert not Customer.objects.exists(), "all or nothing: the good row is not kept either"


def test_the_good_rows_are_kept_when_asked(administrator, lists):
    outcome = run("customers", customers([None, "Good GmbH", "DE", "", "", ""],
                                         [None, "", "DE", "", "", ""]),
                  administrator, keep_good=True)  # fmt: skip
    assert (outcome.new, outcome.failed, outcome.committed) == (1, 1, True)
    assert list(Customer.objects.values_list("company_name", flat=True)) == ["Good GmbH"]
    assert outcome.failing_rows == {"Customers": [3]}


def test_a_dry_run_counts_and_shows_the_codes_but_keeps_nothing(administrator, lists):
    outcome = run("customers", customers([None, "Nordwerk GmbH", "DE", "", "", ""],
                                         ["RK500", "Old One", "FR", "", "", ""]),
                  administrator, commit=False)  # fmt: skip
    assert outcome.new == 2 and not outcome.committed
    assert [p["values"][0] for p in outcome.preview] == ["RK001", "RK500"]
    assert not Customer.objects.exists() and not CodeEntry.objects.exists()


def test_a_customer_already_in_the_archive_is_named_not_entered_twice(administrator, lists):
    new_customer(administrator, "Nordwerk Automotive GmbH")
    outcome = run("customers", customers([None, "NORDWERK automotive G.m.b.H.", "DE", "", "",
                                          ""]), administrator)  # fmt: skip
    assert outcome.failed == 1
    assert "RK001 is already in the archive with this company name" in str(outcome.problems[0])


def test_imported_records_say_where_they_came_from_and_are_found(administrator, lists):
    run("customers", customers([None, "Nordwerk Automotive GmbH", "DE", "", "", ""]),
        administrator)  # fmt: skip
    customer = Customer.objects.get()
    imported = customer.changes.get(action=ChangeRecord.Action.IMPORTED)
    assert imported.new_value == "test.xlsx (test)" and imported.changed_by == administrator
    assert [h.code for h in search(administrator, customer.code).groups[0].hits] == [customer.code]


def test_excel_sloppiness_is_forgiven(administrator, lists):
    outcome = run("customers", xlsx(("Customers", [
        ["  Company Name ", "country", "PHONE", "NDA signed", "NDA date", "Code"],
        ["  Ｎｏｒｄｗｅｒｋ GmbH\u3000", " germany ", 4971112345678, "是", 46023, "rk1200"],
    ])), administrator)  # fmt: skip
    assert outcome.failed == 0, outcome.problems
    customer = Customer.objects.get()
    assert customer.code == "RK1200"
    assert customer.phone == "+4971112345678"
    assert customer.nda_signed and customer.nda_date == datetime.date(2026, 1, 1)
    assert customer.company_name.endswith("GmbH")


def test_a_sales_user_imports_for_themselves_only(alice, bob, lists):
    bobs = create_with_code(Customer(company_name="Osaka Kiki", owner=bob), "customer")
    outcome = run("customers", xlsx(("Customers", [
        ["Code", "Company name", "Owner", "Country"],
        [bobs.code, "Taken Over", "", "JP"],
        ["RK9999", "Unknown", "", "JP"],
        [None, "Mine GmbH", "bob", "DE"],
        [None, "Mine Too GmbH", "", "DE"],
    ])), alice, keep_good=True)  # fmt: skip
    messages = [str(p) for p in outcome.problems]
    assert messages[0].endswith(f"No customer {bobs.code} among those you may change.")
    assert messages[1].endswith("No customer RK9999 among those you may change.")
    assert "A manager hands a customer over." in messages[2], messages
    assert len(messages) == 3, messages
    assert Customer.objects.get(company_name="Mine Too GmbH").owner == alice
    bobs.refresh_from_db()
    assert bobs.company_name == "Osaka Kiki"


def test_an_empty_owner_cell_means_the_importer_or_no_change(manager, alice, lists):
    alices = create_with_code(Customer(company_name="Alice's GmbH", owner=alice), "customer")
    outcome = run("customers", xlsx(("Customers", [
        ["Code", "Company name", "Owner", "Country"],
        [None, "Template Filled GmbH", "", "DE"],
        [alices.code, "Alice's GmbH", "", "FR"],
    ])), manager)  # fmt: skip
    assert outcome.counts() == {"new": 1, "updated": 1, "unchanged": 0, "failed": 0}
    assert Customer.objects.get(company_name="Template Filled GmbH").owner == manager
    alices.refresh_from_db()
    assert (alices.owner, alices.country) == (alice, "FR")


def test_an_import_is_not_undone_once_something_depends_on_it(manager, lists):
    from tracecode.imports import services
    from tracecode.sales.tests.factories import make_project

    data = xlsx(("Customers", [HEADER, [None, "Nordwerk Automotive GmbH", "DE", "", "", ""],
                               [None, "Lyon Médicale SARL", "FR", "", "", ""]]))  # fmt: skip
    run_, _outcome = services.run_now(manager, "customers", data, "c.xlsx", commit=True)
    make_project(Customer.objects.get(code="RK001"), manager)
    with pytest.raises(services.ImportRefused, match="RK001 cannot be taken back: project RK001-1"):
        services.undo(run_, user=manager)
    assert Customer.objects.count() == 2
