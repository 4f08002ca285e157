"""Each serial counts within its scope, named by a canonical, stable key."""

import datetime

from tracecode.codes.core import Values, load, load_preset

REKO = load_preset()


def test_a_customer_has_one_global_counter():
    assert REKO["customer"].scope_key(Values()) == ""


def test_projects_count_per_customer():
    assert REKO["project"].scope_key(Values(parent="RK1038")) == "parent=RK1038"


def test_orders_count_per_project_and_kind():
    order = REKO["order"]
    sample = Values(parent="RK1038-1", fields={"kind": "S"})
    assert order.scope_key(sample) == "parent=RK1038-1|kind=S"
    lower_case = Values(parent="RK1038-1", fields={"kind": "s"})
    assert order.scope_key(lower_case) == "parent=RK1038-1|kind=S"


def test_dated_codes_count_per_month_by_default():
    quotation = load_preset("examples/erp_documents")["erp_quotation"]
    values = Values(date=datetime.date(2026, 11, 30))
    assert quotation.scope_key(values) == "YYYY=2026|MM=11"


def test_an_explicit_scope_counts_within_the_named_fields_only():
    schemes = load(
        '[scheme.a]\npattern = "{kind}-{YYYY}{MM}-{serial:3}"\nscope = ["kind", "YYYY"]\n'
        '[scheme.a.tables.kind]\nS = "Sample"\nM = "Mass"\n'
    )
    values = Values(fields={"kind": "M"}, date=datetime.date(2026, 11, 2))
    assert schemes["a"].scope == ("kind", "YYYY")
    assert schemes["a"].scope_key(values) == "kind=M|YYYY=2026"


def test_an_empty_scope_is_one_counter_for_all():
    schemes = load(
        '[scheme.a]\npattern = "{kind}{serial:3}"\nscope = []\n'
        '[scheme.a.tables.kind]\nS = "Sample"\n'
    )
    assert schemes["a"].scope_key(Values(fields={"kind": "S"})) == ""


def test_placeholders_after_the_serial_are_not_in_the_default_scope():
    schemes = load('[scheme.a]\npattern = "A{serial:3}-{rev:1}"\n')
    assert schemes["a"].scope == ()


def test_initials_are_in_the_scope_as_letters():
    pc = load_preset("examples/province_city")["pc_customer"]
    values = Values(fields={"province": "浙江", "city": "杭州", "attribute": "D"})
    assert pc.scope_key(values) == "province=ZJ|city=HZ|attribute=D"


def test_next_serial_starts_at_start_and_moves_by_step():
    shop = load_preset("examples/shop")["shop_store"]
    assert shop.next_serial(None) == 2
    assert shop.next_serial(2) == 4
    assert REKO["customer"].next_serial(None) == 1
    assert REKO["customer"].next_serial(1037) == 1038
    assert REKO["complaint"].next_serial(None) == 2


def test_next_serial_moves_past_an_imported_off_step_serial():
    shop = load_preset("examples/shop")["shop_store"]
    assert shop.next_serial(7) == 8
    assert shop.next_serial(0) == 2


def test_the_parsed_scope_key_is_the_allocated_one():
    assert REKO.parse("RK1038-1-S1").scope_key == "parent=RK1038-1|kind=S"
    assert REKO.parse("RK1038").scope_key == ""


def test_around_serial_is_the_code_without_its_serial():
    order = load_preset()["order"]
    values = Values(parent="RK1038-1", fields={"kind": "M"})
    assert order.around_serial(values) == ("RK1038-1-M", "")
    bj = load('[scheme.bj]\npattern = "BJ{YYYY}{MM}-{serial:4}X"\n')["bj"]
    assert bj.around_serial(Values(date=datetime.date(2026, 11, 2))) == ("BJ202611-", "X")
    assert bj.format(Values(date=datetime.date(2026, 11, 2)), 7) == "BJ202611-0007X"
