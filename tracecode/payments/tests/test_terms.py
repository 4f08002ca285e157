"""Payment terms read into instalments, as export sales write them."""

from decimal import Decimal

import pytest

from tracecode.payments.terms import instalments


def test_deposit_and_balance_before_shipment():
    deposit, balance = instalments("30% T/T in advance, 70% before shipment")
    assert (deposit.percent, deposit.event, deposit.words) == (30, "order", "T/T in advance")
    assert (balance.percent, balance.event) == (70, "shipment")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30% deposit, 70% against copy of B/L", [(30, "order", 0), (70, "shipment", 0)]),
        ("100% T/T 30 days after B/L date", [(100, "shipment", 30)]),
        ("T/T net 60", [(100, "shipment", 60)]),
        ("30%定金,70%发货前付清", [(30, "order", 0), (70, "shipment", 0)]),
        ("50% with order and 50% 30 days after arrival", [(50, "order", 0), (50, "arrival", 30)]),
        ("L/C at sight", [(100, "shipment", 0)]),
        ("as agreed", [(100, None, 0)]),
    ],
)
def test_terms_as_written(text, expected):
    assert [(i.percent, i.event, i.days) for i in instalments(text)] == [
        (Decimal(p), e, d) for p, e, d in expected
    ]


def test_no_terms_no_instalments():
    assert instalments("  ") == []
