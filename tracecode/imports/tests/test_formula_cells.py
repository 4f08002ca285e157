"""Exports quote what a spreadsheet would run as a formula, and nothing else."""

import pytest

from tracecode.imports.cells import safe


@pytest.mark.parametrize("phone", ["+1 415-555-0100", "+1 (415) 555-0100", "+49 711 123456"])
def test_a_phone_number_is_exported_as_it_is_written(phone):
    assert safe(phone) == phone


@pytest.mark.parametrize("formula", ["-2+3+cmd|' /C calc'!A0", '=HYPERLINK("x")', "@SUM(A1)"])
def test_a_formula_stays_quoted(formula):
    assert safe(formula) == "'" + formula
