"""The customers tests' builders: the one set in tracecode/testing/factories.py."""

from tracecode.testing.factories import (  # noqa: F401  (the tests import them from here)
    industry,
    make_customer,
    new_contact,
    new_customer,
)
