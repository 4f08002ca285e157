"""Pinyin initials of Chinese names, polyphonic place names included."""

import pytest

from tracecode.codes.core import ValueProblem, Values, initials, load


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("浙江杭州", "ZJHZ"),
        ("产品1", "CP"),
        ("代理商", "DLS"),
        ("肠衣", "CY"),
        ("直接客户", "ZJKH"),
        ("中间商", "ZJS"),
    ],
)
def test_initials_of_names(text, expected):
    assert initials(text) == expected


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("重庆", "CQ"),
        ("长沙", "CS"),
        ("厦门", "XM"),
        ("西藏", "XZ"),
        ("蚌埠", "BB"),
        ("六安", "LA"),
        ("丽水", "LS"),
        ("乐山", "LS"),
        ("东莞", "DG"),
        ("番禺", "PY"),
        ("大连", "DL"),
        ("长春", "CC"),
        ("长治", "CZ"),
        ("朝阳", "CY"),
        ("单县", "SX"),
        ("天长", "TC"),
        ("洪洞", "HT"),
        ("涡阳", "GY"),
        ("乐清", "YQ"),
        ("铅山", "YS"),
    ],
)
def test_polyphonic_place_names(place, expected):
    assert initials(place) == expected


def test_place_names_keep_their_reading_inside_longer_text():
    assert initials("山西长治市") == "SXCZS"
    assert initials("安徽六安") == "AHLA"
    assert initials("北京市朝阳区") == "BJSCYQ"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("湖南省长沙市", "HNSCSS"),
        ("吉林省长春市", "JLSCCS"),
        ("重庆市长寿区", "CQSCSQ"),
        ("上海市长宁区", "SHSCNQ"),
        ("山西省长子县", "SXSZZX"),
    ],
)
def test_an_address_is_read_unit_by_unit_not_as_governor_or_mayor(address, expected):
    assert initials(address) == expected


def test_ascii_letters_are_kept_uppercase_and_other_marks_dropped():
    assert initials("abc 有限公司") == "ABCYXGS"
    assert initials("ＡＢ-12 产品") == "ABCP"
    assert initials("ZJHZ") == "ZJHZ"


def scheme():
    return load('[scheme.a]\npattern = "{name:initials:2}{type:initials:1}{serial:3}"\n')["a"]


def test_an_initials_field_takes_the_first_n_letters():
    values = Values(fields={"name": "浙江杭州", "type": "代理商"})
    assert scheme().normalise(values).fields == {"name": "ZJ", "type": "D"}
    assert scheme().format(values, 1) == "ZJD001"


def test_fewer_letters_than_needed_is_a_clear_error():
    with pytest.raises(ValueProblem) as raised:
        scheme().normalise(Values(fields={"name": "杭", "type": "代理商"}))
    assert raised.value.field == "name"
    assert "gives 1 pinyin initial letter(s) (H); 2 needed" in str(raised.value)
    with pytest.raises(ValueProblem, match="gives 0"):
        scheme().normalise(Values(fields={"name": "浙江", "type": "123"}))
