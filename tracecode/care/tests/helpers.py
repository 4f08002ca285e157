"""Small builders for the care tests: a customer with a credit limit and orders of it."""

from decimal import Decimal

from tracecode.sales.tests.factories import days, make_customer, make_order, make_project, move

# 1000 pcs at USD 2.35 = USD 2,350.00 = CNY 16,685.00 at the default rate of 7.10.
ORDER_CNY = Decimal("16685.00")


def limited_customer(owner, limit="20000", **extra):
    """A customer whose credit limit (CNY) takes one default order, not two."""
    return make_customer(owner, credit_limit=Decimal(limit), credit_level="B", **extra)


def confirmed_order(customer, **values):
    return move(make_order(make_project(customer), **values), "confirm")


def draft_order(customer, **values):
    return make_order(make_project(customer), **values)


__all__ = ["ORDER_CNY", "confirmed_order", "days", "draft_order", "limited_customer"]
