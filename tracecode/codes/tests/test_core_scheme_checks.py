"""Scheme files are refused when they could not give unique, readable, parseable codes."""

import pytest

from tracecode.codes.core import Problem, SchemeError, SchemeSet, check, load

BRIEF_EXAMPLE = """\
[scheme.customer]
label = "Customer"
label_zh = "客户"
pattern = "RK{serial:3+}"

[scheme.project]
label = "Project"
parent = "customer"
pattern = "{parent}-{serial:1+}"

[scheme.order]
label = "Order"
parent = "project"
pattern = "{parent}-{kind}{serial:1+}"

[scheme.order.tables.kind]
S = { label = "Sample order", label_zh = "样品订单" }
M = "Mass order"

[scheme.shop]
pattern = "{attribute}{region}{city:2}{serial:2}"
start = 2
step = 2

[scheme.shop.tables.attribute]
1 = "Directly run"

[scheme.shop.tables.region]
1 = "East China"
"""


def only_problem(text: str) -> Problem:
    problems = check(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_the_example_scheme_file_is_accepted():
    assert check(BRIEF_EXAMPLE) == []
    schemes = load(BRIEF_EXAMPLE)
    assert list(schemes) == ["customer", "project", "order", "shop"]
    assert schemes["order"].tables["kind"]["M"].label == "Mass order"
    assert schemes["order"].tables["kind"]["S"].label_zh == "样品订单"


def test_longest_codes_count_serials_at_their_declared_width():
    schemes = load(BRIEF_EXAMPLE)
    assert schemes["customer"].longest_length() == 5
    assert schemes["project"].longest_length() == 7
    assert schemes["order"].longest_length() == 10


def test_load_raises_scheme_error_with_every_problem():
    with pytest.raises(SchemeError) as raised:
        load('[scheme.a]\npattern = "A{serial:2}{b}"\nstep = 0\n')
    assert [p.field for p in raised.value.problems] == ["pattern", "step"]
    assert "line 2: scheme.a.pattern: unknown placeholder {b}" in str(raised.value)


def test_a_toml_syntax_error_keeps_its_line():
    problem = only_problem('[scheme.a]\npattern = "A{serial:2}"\nlabel = \n')
    assert problem.line == 3
    assert problem.message.startswith("TOML syntax:")


def test_it_refuses_an_unknown_key_of_a_scheme():
    problem = only_problem('[scheme.a]\npattern = "A{serial:2}"\n\nstrat = 5\n')
    assert (problem.line, problem.scheme, problem.field) == (4, "a", "strat")
    assert "unknown key 'strat'" in problem.message


def test_it_refuses_an_unknown_top_level_key():
    problem = only_problem('title = "x"\n[scheme.a]\npattern = "A{serial:2}"\n')
    assert problem.line == 1
    assert "unknown key 'title'" in problem.message


def test_it_refuses_an_unknown_placeholder_and_says_which():
    text = '[scheme.order]\nparent = "p"\npattern = "{parent}-{knd}{serial:1+}"\n'
    text += '[scheme.order.tables.kind]\nS = "Sample"\n[scheme.p]\npattern = "P{serial:1+}"\n'
    problems = check(text)
    assert str(problems[0]).startswith("line 3: scheme.order.pattern: unknown placeholder {knd}")
    assert problems[1].field == "tables.kind"
    assert "not used" in problems[1].message


def test_it_refuses_a_pattern_without_serial():
    problem = only_problem('[scheme.a]\n\npattern = "A-{YYYY}"\n')
    assert (problem.line, problem.scheme, problem.field) == (3, "a", "pattern")
    assert "no serial" in problem.message


def test_it_refuses_two_serials():
    problem = only_problem('[scheme.a]\npattern = "{serial:2}-{serial:3}"\n')
    assert (problem.line, problem.field) == (2, "pattern")
    assert "more than one serial" in problem.message


def test_it_refuses_a_serial_without_width():
    problem = only_problem('[scheme.a]\npattern = "A{serial}"\n')
    assert "needs a width" in problem.message


def test_it_refuses_step_below_1():
    problem = only_problem('[scheme.a]\npattern = "A{serial:2}"\nstep = 0\n')
    assert (problem.line, problem.scheme, problem.field) == (3, "a", "step")


def test_it_refuses_a_table_with_values_of_unequal_width():
    text = '[scheme.a]\npattern = "{kind}{serial:2}"\n\n[scheme.a.tables.kind]\nS = "x"\nMM = "y"\n'
    problem = only_problem(text)
    assert (problem.line, problem.scheme, problem.field) == (4, "a", "tables.kind")
    assert "unequal width" in problem.message


def test_it_refuses_a_parent_that_does_not_exist():
    problem = only_problem('[scheme.a]\nparent = "projct"\npattern = "{parent}-{serial:1+}"\n')
    assert (problem.line, problem.scheme, problem.field) == (2, "a", "parent")
    assert "'projct' is not a scheme" in problem.message


def test_it_refuses_a_cycle_of_parents():
    text = (
        '[scheme.a]\nparent = "b"\npattern = "{parent}-A{serial:1+}"\n'
        '[scheme.b]\nparent = "a"\npattern = "{parent}-B{serial:1+}"\n'
    )
    problems = check(text)
    assert [(p.line, p.scheme, p.field) for p in problems] == [
        (2, "a", "parent"),
        (5, "b", "parent"),
    ]
    assert "a → b → a is a cycle" in problems[0].message


def test_it_refuses_a_scheme_that_is_its_own_parent():
    problem = only_problem('[scheme.a]\nparent = "a"\npattern = "{parent}-{serial:1+}"\n')
    assert "cycle" in problem.message


def test_it_refuses_a_scope_naming_a_field_not_in_the_pattern():
    text = '[scheme.a]\npattern = "A{serial:3}"\nscope = ["region"]\n'
    problem = only_problem(text)
    assert (problem.line, problem.scheme, problem.field) == (3, "a", "scope")
    assert "cannot produce unique codes" in problem.message


def test_it_refuses_a_widening_serial_followed_by_a_digit_placeholder():
    problem = only_problem('[scheme.a]\npattern = "A{serial:2+}{YYYY}"\n')
    assert (problem.line, problem.scheme, problem.field) == (2, "a", "pattern")
    assert "unambiguously" in problem.message


def test_it_refuses_a_widening_parent_followed_by_digits():
    text = '[scheme.c]\npattern = "RK{serial:3+}"\n[scheme.p]\nparent = "c"\n'
    text += 'pattern = "{parent}{serial:2}"\n'
    problem = only_problem(text)
    assert (problem.line, problem.scheme, problem.field) == (5, "p", "pattern")
    assert "{serial:3+} of the c code" in problem.message


def test_an_overflow_widen_serial_counts_as_widening_for_ambiguity():
    problem = only_problem('[scheme.a]\npattern = "{serial:2}{MM}"\non_overflow = "widen"\n')
    assert "unambiguously" in problem.message


def test_a_widening_serial_before_letters_is_fine():
    assert check('[scheme.a]\npattern = "{serial:1+}X{code:2}"\n') == []
    assert check('[scheme.a]\npattern = "{serial:1+}-{MM}"\n') == []


def test_it_refuses_codes_longer_than_20_characters():
    problem = only_problem('[scheme.a]\npattern = "ABCDEFGHIJKLMNOP{serial:5}"\n')
    assert (problem.line, problem.field) == (2, "pattern")
    assert "21 characters" in problem.message


def test_it_refuses_codes_longer_than_max_length_counting_the_parent():
    text = '[scheme.c]\npattern = "RK{serial:3+}"\n[scheme.p]\nparent = "c"\n'
    text += 'pattern = "{parent}-{serial:1+}"\nmax_length = 6\n'
    problem = only_problem(text)
    assert (problem.line, problem.scheme) == (5, "p")
    assert "7 characters" in problem.message and "max_length 6" in problem.message


def test_it_refuses_max_length_above_20():
    problem = only_problem('[scheme.a]\npattern = "A{serial:2}"\nmax_length = 30\n')
    assert (problem.line, problem.field) == (3, "max_length")


def test_it_refuses_a_start_that_does_not_fit_a_fixed_serial():
    problem = only_problem('[scheme.a]\npattern = "A{serial:3}"\nstart = 1000\n')
    assert (problem.line, problem.field) == (3, "start")


def test_it_refuses_an_unknown_on_overflow():
    problem = only_problem('[scheme.a]\npattern = "A{serial:3}"\non_overflow = "wrap"\n')
    assert problem.field == "on_overflow"


def test_it_refuses_a_free_field_without_width_or_table():
    problem = only_problem('[scheme.a]\npattern = "{city}{serial:3}"\n')
    assert "{city:2}" in problem.message


def test_it_refuses_a_table_value_with_spaces():
    text = '[scheme.a]\npattern = "{kind}{serial:2}"\n[scheme.a.tables.kind]\n"A B" = "x"\n'
    problem = only_problem(text)
    assert (problem.line, problem.field) == (4, "tables.kind")


def test_it_refuses_an_unknown_key_in_a_table_entry():
    text = '[scheme.a]\npattern = "{kind}{serial:2}"\n[scheme.a.tables.kind]\n'
    text += 'S = { label = "Sample", lable_zh = "样品" }\n'
    problem = only_problem(text)
    assert (problem.line, problem.field) == (4, "tables.kind")
    assert "lable_zh" in problem.message


def test_it_refuses_parent_key_and_placeholder_that_do_not_go_together():
    problem = only_problem('[scheme.a]\npattern = "{parent}-{serial:1+}"\n')
    assert "names no parent" in problem.message
    text = (
        '[scheme.c]\npattern = "C{serial:1+}"\n[scheme.a]\nparent = "c"\npattern = "A{serial:2}"\n'
    )
    problem = only_problem(text)
    assert (problem.line, problem.field) == (4, "parent")


def test_it_refuses_spaces_in_a_pattern():
    problem = only_problem('[scheme.a]\npattern = "RK {serial:3}"\n')
    assert "spaces" in problem.message


def test_problems_of_stored_dicts_have_no_line():
    with pytest.raises(SchemeError) as raised:
        SchemeSet.from_dicts({"a": {"pattern": "A{serial:2}", "step": 0}})
    problem = raised.value.problems[0]
    assert (problem.line, problem.scheme, problem.field) == (None, "a", "step")
    assert str(problem) == "scheme.a.step: step must be a whole number of at least 1"


def test_problem_reads_line_scheme_field_message():
    problem = Problem("unknown placeholder {knd}", 12, "order", "pattern")
    assert str(problem) == "line 12: scheme.order.pattern: unknown placeholder {knd}"


def test_lines_are_found_for_dotted_keys_and_multi_line_arrays():
    text = (
        '[scheme]\na.pattern = "A{serial:2}"\n'
        'b.pattern = "{kind}{serial:2}"\nb.scope = [\n  "kind",\n]\nb.strat = 1\n'
        'b.tables.kind.S = "x"\n'
    )
    problem = only_problem(text)
    assert (problem.line, problem.scheme, problem.field) == (7, "b", "strat")
