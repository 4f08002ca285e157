"""A scheme file nested thousands of levels deep is a problem to report, not a crash."""

import pytest

from tracecode.codes import core

DEEP = [
    "a = " + "[" * 5000 + "]" * 5000,
    "a = " + "[" * 5000,
    "x = " + "{a = " * 5000 + "1" + "}" * 5000,
    '[scheme.x]\npattern = "RK{serial:3}"\nlabel = ' + "[" * 3000 + "]" * 3000,
]


@pytest.mark.parametrize("text", DEEP)
def test_a_deeply_nested_file_is_one_problem(text):
    (problem,) = core.check(text)
    assert "nested too deeply" in problem.message


def test_loading_it_raises_the_scheme_error():
    with pytest.raises(core.SchemeError, match="nested too deeply"):
        core.load(DEEP[0])


def test_its_scheme_names_are_none():
    assert core.scheme_names(DEEP[0]) == []


def test_nesting_a_file_really_uses_still_works():
    assert core.check('[scheme.x]\npattern = "RK{serial:3}"\nlabel = "X"\n') == []
