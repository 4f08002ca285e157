"""The sales tests' builders: the one set in tracecode/testing/factories.py."""

from tracecode.testing.factories import (  # noqa: F401  (named: the tests import them)
    ALL_THE_WAY,
    MOVE_DATA,
    PATH_TO,
    PRODUCTION_CHECKS,
    days,
    line,
    make_customer,
    make_order,
    make_project,
    move,
    order_in,
    today,
)
