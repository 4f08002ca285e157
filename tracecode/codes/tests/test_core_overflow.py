"""A full serial is a clear error or widens, as the scheme says; it never wraps around."""

import pytest

from tracecode.codes.core import CodeOverflow, Values, load, load_preset


def scheme(pattern: str, extra: str = "", tables: str = ""):
    text = f'[scheme.a]\npattern = "{pattern}"\n{extra}\n{tables}'
    return load(text)["a"]


def test_a_full_fixed_serial_is_an_error_naming_scheme_and_scope():
    shop = load_preset("examples/shop")["shop_store"]
    values = Values(fields={"attribute": "1", "region": "1", "city": "99"})
    assert shop.format(values, 98) == "119998"
    with pytest.raises(CodeOverflow) as raised:
        shop.format(values, shop.next_serial(98))
    assert raised.value.scheme == "shop_store"
    assert raised.value.scope == "attribute=1|region=1|city=99"
    assert "shop_store" in str(raised.value)
    assert "attribute=1|region=1|city=99" in str(raised.value)


def test_999_of_three_digits_is_the_last_code():
    material = scheme("M{serial:3}")
    assert material.format(Values(), 999) == "M999"
    with pytest.raises(CodeOverflow) as raised:
        material.format(Values(), 1000)
    assert raised.value.scope == ""
    assert "global scope" in str(raised.value)


def test_a_fixed_serial_widens_when_the_scheme_says_so():
    widening = scheme("M{serial:3}", 'on_overflow = "widen"')
    assert widening.serial_widens
    assert widening.format(Values(), 999) == "M999"
    assert widening.format(Values(), 1000) == "M1000"


def test_a_widening_serial_grows_past_its_width():
    customer = load_preset()["customer"]
    assert customer.serial_widens
    assert customer.format(Values(), 1038) == "RK1038"


def test_a_widening_serial_past_max_length_is_an_allocation_error():
    short = scheme("RK{serial:3+}", "max_length = 6")
    assert short.format(Values(), 9999) == "RK9999"
    with pytest.raises(CodeOverflow) as raised:
        short.format(Values(), 10000)
    assert raised.value.scheme == "a"
    assert "max_length 6" in str(raised.value)


def test_a_long_parent_can_push_a_child_past_max_length():
    schemes = load(
        '[scheme.c]\npattern = "RK{serial:3+}"\n'
        '[scheme.o]\nparent = "c"\npattern = "{parent}-{serial:2+}"\nmax_length = 8\n'
    )
    with pytest.raises(CodeOverflow) as raised:
        schemes["o"].format(Values(parent="RK1038"), 1)
    assert raised.value.scope == "parent=RK1038"
    assert schemes["o"].format(Values(parent="RK103"), 1) == "RK103-01"


def test_the_order_kind_counter_overflows_per_scope_only():
    order = scheme("{kind}{serial:1}", tables='[scheme.a.tables.kind]\nS = "s"\nM = "m"\n')
    assert order.format(Values(fields={"kind": "M"}), 9) == "M9"
    with pytest.raises(CodeOverflow) as raised:
        order.format(Values(fields={"kind": "S"}), 10)
    assert raised.value.scope == "kind=S"
