"""For every preset scheme: each code it makes parses back to its values and is found in text."""

import datetime
import functools
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracecode.codes.core import CodeOverflow, Scheme, Values, example_names, load_preset
from tracecode.codes.core.pattern import DatePart, FieldRef
from tracecode.codes.core.scheme import date_texts

PRESETS = ["reko", *example_names()]
CASES = [(preset, name) for preset in PRESETS for name in load_preset(preset)]
CHINESE = "浙江杭州广东深圳重庆长沙厦门西藏六安乐山产品代理商中间商肠衣直接客户"
WORDS = ["Re:", "Fwd:", "drawing", "rev", "PI", "see", "attached", "订单", "图纸", "请查收", "附件"]
SEPARATORS = [" ", ", ", "; ", " / ", "(", ")", "\n", "\t", "_", ".", "：", "，", "【", "】", ""]
DATES = st.dates(datetime.date(1950, 1, 1), datetime.date(2099, 12, 31))
PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def field_values(scheme: Scheme, ref: FieldRef) -> st.SearchStrategy[str]:
    width = scheme.field_width(ref)
    table = None if ref.initials else scheme.tables.get(ref.name)
    if table:
        value = st.sampled_from(sorted(table))
        return st.tuples(value, st.booleans()).map(lambda v: v[0].lower() if v[1] else v[0])
    if ref.initials:
        return st.text(CHINESE + string.ascii_letters, min_size=width, max_size=width + 3)
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits
    return st.text(alphabet, min_size=width, max_size=width)


@st.composite
def records(draw: st.DrawFn, scheme: Scheme) -> tuple[Values, int]:
    """Values a record of `scheme` could have, and a serial its counter could give."""
    fields = {
        ref.name: draw(field_values(scheme, ref))
        for ref in scheme.segments
        if isinstance(ref, FieldRef)
    }
    parent = None
    if scheme.parent_scheme is not None:
        parent = draw(codes(scheme.parent_scheme))
    date = None
    if scheme.needs_date:
        date = draw(DATES)
    values = Values(parent=parent, fields=fields, date=date)
    digits = scheme.serial_width + (2 if scheme.serial_widens else 0)
    digits = min(digits, scheme.max_length - _length_without_serial(scheme, values))
    assume(digits >= len(str(scheme.start)))
    highest = 10**digits - 1
    steps = draw(st.integers(0, (highest - scheme.start) // scheme.step))
    return values, scheme.start + steps * scheme.step


@functools.cache
def records_of(scheme: Scheme) -> st.SearchStrategy[tuple[Values, int]]:
    """The records strategy of a scheme, built once."""
    return records(scheme)


def _length_without_serial(scheme: Scheme, values: Values) -> int:
    try:
        first = scheme.format(values, scheme.start)
    except CodeOverflow:
        return scheme.max_length  # a long parent leaves no room: the draw is discarded
    return len(first) - len(str(scheme.start).zfill(scheme.serial_width))


@functools.cache
def codes(scheme: Scheme) -> st.SearchStrategy[str]:
    """Codes `scheme` can give (one strategy per scheme: building them is the slow part)."""
    return records(scheme).map(lambda record: scheme.format(*record))


def _glue(word: str, separator: str) -> str:
    # Only a Chinese word may touch the code; an ASCII word would make a longer token.
    return separator if separator or not word.isascii() else " "


_PIECES = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=4)
BEFORE = _PIECES.map(lambda pieces: "".join(w + _glue(w, s) for w, s in pieces))
AFTER = _PIECES.map(lambda pieces: "".join(_glue(w, s) + w for w, s in pieces))


@pytest.mark.parametrize(("preset", "name"), CASES)
@PROPERTY
@given(data=st.data())
def test_every_code_parses_back_to_its_values(preset, name, data):
    schemes = load_preset(preset)
    scheme = schemes[name]
    values, serial = data.draw(records_of(scheme))
    code = scheme.format(values, serial)
    canonical = scheme.normalise(values)
    parsed = schemes.parse(code, scheme=name)
    assert parsed.code == code
    assert parsed.scheme == name
    assert parsed.fields == dict(canonical.fields)
    assert parsed.serial == serial
    assert parsed.parent == canonical.parent
    assert parsed.scope_key == scheme.scope_key(values)
    dates = date_texts(canonical.date)
    date_names = [s.name for s in scheme.segments if isinstance(s, DatePart)]
    assert parsed.date_parts == {part: dates[part] for part in date_names}
    assert schemes.parse(code).code == code


@pytest.mark.parametrize(("preset", "name"), CASES)
@PROPERTY
@given(data=st.data())
def test_every_code_is_found_in_surrounding_text(preset, name, data):
    schemes = load_preset(preset)
    code = data.draw(codes(schemes[name]))
    before, after = data.draw(BEFORE), data.draw(AFTER)
    found = schemes.find(before + code + after)
    assert [(f.code, f.start, f.end) for f in found] == [
        (code, len(before), len(before) + len(code))
    ]
    assert schemes.parse(code, scheme=found[0].scheme).code == code


@pytest.mark.parametrize("name", list(load_preset()))
@PROPERTY
@given(data=st.data())
def test_reko_codes_parse_as_their_own_scheme_without_naming_it(name, data):
    reko = load_preset()
    assert reko.parse(data.draw(codes(reko[name]))).scheme == name
