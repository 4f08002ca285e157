"""Any code can be explained part by part; a wrong code says where it goes wrong."""

import pytest

from tracecode.codes.core import ParseError, load_preset

REKO = load_preset()


def test_RK1038_1_S1_reads_customer_project_sample_order_first():
    explanation = REKO.explain("RK1038-1-S1")
    assert explanation.summary() == (
        "Order RK1038-1-S1: customer RK1038; project 1; S = Sample order; 1st"
    )


def test_the_summary_reads_in_chinese_too():
    summary = REKO.explain("RK1038-1-S1").summary("zh")
    assert summary == "订单 RK1038-1-S1：客户 RK1038；项目/询盘 1；S = 样品订单；第1个"
    assert REKO.explain("RK1038-1-S1").summary("zh-hans") == summary


def test_the_explanation_has_each_part_and_the_parent_chain():
    explanation = REKO.explain("RK1038-1-M2")
    assert (explanation.scheme, explanation.scheme_label) == ("order", "Order")
    assert [part.kind for part in explanation.parts] == ["parent", "literal", "field", "serial"]
    parent, _, kind, serial = explanation.parts
    assert (parent.text, parent.label, parent.meaning) == (
        "RK1038-1",
        "Project",
        "customer RK1038, project 1",
    )
    assert (kind.name, kind.label, kind.label_zh) == ("kind", "Mass order", "批量订单")
    assert (serial.text, serial.meaning, serial.meaning_zh) == ("2", "2nd", "第2个")
    assert explanation.parent.code == "RK1038-1"
    assert explanation.parent.parent.code == "RK1038"
    assert explanation.parent.parent.parent is None


def test_a_complaint_is_numbered_not_counted():
    summary = REKO.explain("RK1038-1-S1-2").summary()
    assert summary == (
        "Complaint RK1038-1-S1-2: customer RK1038; project 1; S = Sample order; order 1; no. 2"
    )


def test_a_customer_code_explains_itself():
    assert REKO.explain("RK888").summary() == "Customer RK888: 888th"


def test_date_parts_are_named():
    erp = load_preset("examples/erp_documents")
    summary = erp.explain("BJ2026110001").summary()
    assert summary == "Quotation BJ2026110001: year 2026; month 11; 1st"
    assert erp.explain("BJ2026110001").summary("zh") == "报价书 BJ2026110001：2026年；11月；第1个"


def test_parse_returns_values_of_the_code():
    parsed = REKO.parse("RK1038-1-S1")
    assert (parsed.scheme, parsed.parent, parsed.fields, parsed.serial) == (
        "order",
        "RK1038-1",
        {"kind": "S"},
        1,
    )
    assert parsed.date_parts == {}


def test_a_code_of_no_scheme_names_the_closest_and_what_it_expected():
    with pytest.raises(ParseError) as raised:
        REKO.parse("RK1038-1-X1")
    error = raised.value
    assert error.position == 9
    assert error.scheme == "order"
    assert "closest is order" in str(error)
    assert "kind (S, M, P) at position 9, found 'X'" in str(error)


def test_trailing_text_is_reported_at_its_position():
    with pytest.raises(ParseError) as raised:
        REKO.explain("RK1038-1-S1x")
    assert raised.value.position == 11
    assert "the end of the code" in str(raised.value)


def test_a_leading_zero_is_not_canonical():
    with pytest.raises(ParseError) as raised:
        REKO.parse("RK01038")
    assert raised.value.position == 2
    assert "leading 0" in str(raised.value)


def test_a_too_short_serial_says_how_many_digits():
    with pytest.raises(ParseError) as raised:
        REKO.parse("RK12")
    assert raised.value.position == 4
    assert "at least 3 digits" in str(raised.value)


def test_a_serial_below_start_is_no_code():
    with pytest.raises(ParseError) as raised:
        REKO.parse("RK1038-1-S1-1", scheme="complaint")
    assert raised.value.position == 12
    assert "a serial from 2" in str(raised.value)


def test_an_odd_shop_serial_is_not_a_store():
    shop = load_preset("examples/shop")
    assert shop.parse("119902").serial == 2
    with pytest.raises(ParseError, match="in steps of 2"):
        shop.parse("119903")


def test_parsing_with_a_named_scheme_reports_against_that_scheme():
    with pytest.raises(ParseError) as raised:
        REKO.parse("RK1038-1", scheme="order")
    assert raised.value.position == 8
    assert "is not a code of scheme order" in str(raised.value)
    assert "expected '-' at position 8, but the code ends there" in str(raised.value)


def test_an_impossible_date_is_no_code():
    erp = load_preset("examples/erp_documents")
    assert erp.parse("QWK2024022901").date_parts == {"YYYY": "2024", "MM": "02", "DD": "29"}
    with pytest.raises(ParseError) as raised:
        erp.parse("QWK2026023001", scheme="erp_production_batch")
    assert raised.value.position == 9
