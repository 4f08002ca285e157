"""Record values are checked and put in canonical form before they make a code."""

import datetime

import pytest

from tracecode.codes.core import ValueProblem, Values, load, load_preset

REKO = load_preset()


def test_a_table_value_is_matched_case_insensitively():
    values = REKO["order"].normalise(Values(parent="RK1038-1", fields={"kind": " s "}))
    assert values.fields == {"kind": "S"}


def test_a_value_missing_from_the_table_is_refused_with_the_table():
    with pytest.raises(ValueProblem) as raised:
        REKO["order"].normalise(Values(parent="RK1038-1", fields={"kind": "X"}))
    assert raised.value.field == "kind"
    assert str(raised.value) == "kind 'X' is not in table kind (S, M, P)"


def test_a_missing_field_is_refused():
    with pytest.raises(ValueProblem) as raised:
        REKO["order"].normalise(Values(parent="RK1038-1"))
    assert raised.value.field == "kind"


def test_the_parent_must_be_a_code_of_the_parent_scheme():
    with pytest.raises(ValueProblem) as raised:
        REKO["order"].normalise(Values(parent="RK1038", fields={"kind": "S"}))
    assert raised.value.field == "parent"
    assert "not a Project code" in str(raised.value)
    with pytest.raises(ValueProblem, match="needs the parent's code"):
        REKO["project"].format(Values(), 1)


def test_a_non_canonical_parent_is_refused():
    with pytest.raises(ValueProblem, match="leading 0"):
        REKO["project"].format(Values(parent="RK01038"), 1)


def test_a_free_field_is_uppercased_and_must_have_its_width():
    dealer = load_preset("examples/erp_documents")["erp_sales_contract"]
    november = datetime.date(2026, 11, 1)
    assert dealer.format(Values(fields={"entity": "szq"}, date=november), 1) == "WXHSZQ2026110001"
    with pytest.raises(ValueProblem) as raised:
        dealer.format(Values(fields={"entity": "SZ"}, date=november), 1)
    assert raised.value.field == "entity"
    assert "exactly 3 characters A-Z or 0-9" in str(raised.value)
    with pytest.raises(ValueProblem):
        dealer.format(Values(fields={"entity": "S-Q"}, date=november), 1)


def test_a_dated_scheme_needs_the_date():
    quotation = load_preset("examples/erp_documents")["erp_quotation"]
    with pytest.raises(ValueProblem) as raised:
        quotation.format(Values(), 1)
    assert raised.value.field == "date"


def test_values_the_scheme_does_not_use_are_dropped():
    customer = REKO["customer"]
    given = Values(parent="X", fields={"kind": "S"}, date=datetime.date(2026, 1, 1))
    assert customer.normalise(given) == Values()


def test_normalise_is_idempotent():
    pc = load_preset("examples/province_city")["pc_customer"]
    once = pc.normalise(Values(fields={"province": "浙江", "city": "杭州", "attribute": "d"}))
    assert once.fields == {"province": "ZJ", "city": "HZ", "attribute": "D"}
    assert pc.normalise(once) == once


def test_a_serial_the_scheme_cannot_give_is_refused():
    shop = load_preset("examples/shop")["shop_store"]
    values = Values(fields={"attribute": "1", "region": "1", "city": "99"})
    with pytest.raises(ValueProblem) as raised:
        shop.format(values, 3)
    assert raised.value.field == "serial"
    with pytest.raises(ValueProblem):
        REKO["complaint"].format(Values(parent="RK1038-1-S1"), 1)


def test_scheme_properties_tell_the_record_form_what_to_ask():
    order = REKO["order"]
    assert order.field_names == ("kind",)
    assert order.needs_parent and not order.needs_date
    assert (order.serial_width, order.serial_widens) == (1, True)
    sl = load_preset("examples/signing_date")["sl_customer"]
    assert sl.needs_date and not sl.needs_parent
    assert sl.field_names == ("region", "attribute", "size", "channel", "developer")
    fixed = load('[scheme.a]\npattern = "A{serial:3}"\n')["a"]
    assert (fixed.serial_width, fixed.serial_widens) == (3, False)
