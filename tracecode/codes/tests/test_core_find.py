"""Codes are found in free text: a mail subject, a file name, a chat message."""

from tracecode.codes.core import Found, load_preset

REKO = load_preset()


def codes(text: str) -> list[str]:
    return [found.code for found in REKO.find(text)]


def test_the_mail_subject_gives_both_orders():
    subject = "Re: RK1038-1-S1 drawing rev B / PI RK1038-1-M2"
    assert REKO.find(subject) == [
        Found("RK1038-1-S1", "order", 4, 15),
        Found("RK1038-1-M2", "order", 35, 46),
    ]


def test_the_longest_code_at_a_place_wins():
    assert codes("RK1038-1-S1") == ["RK1038-1-S1"]
    assert codes("complaint RK1038-1-S1-2 received") == ["RK1038-1-S1-2"]


def test_no_code_inside_a_longer_word():
    assert codes("RK10381x") == []
    assert codes("xRK1038") == []
    assert codes("ARK1038") == []
    assert codes("RK1038x 1RK1038-1") == []


def test_punctuation_around_a_code_is_a_boundary():
    assert codes("RK1038,") == ["RK1038"]
    assert codes("(RK1038-1)") == ["RK1038-1"]
    assert codes("see RK1038-1.") == ["RK1038-1"]
    assert codes('"RK888-6-S1"') == ["RK888-6-S1"]


def test_underscore_separates_a_code_in_a_file_name():
    assert codes("RK1038_drawing.pdf") == ["RK1038"]
    assert codes("PI_RK1038-1-M2_rev3.xlsx") == ["RK1038-1-M2"]


def test_a_dash_after_a_code_that_is_not_a_longer_code_is_a_boundary():
    assert codes("RK1038-1-drawing.pdf") == ["RK1038-1"]
    assert codes("RK1038-1-S1x") == ["RK1038-1"]
    assert codes("RK1038-1y") == ["RK1038"]


def test_codes_right_beside_chinese_text_are_found():
    assert codes("订单RK1038-1-S1已发货,请查收RK888-6的图纸") == ["RK1038-1-S1", "RK888-6"]


def test_non_canonical_look_alikes_are_not_found():
    assert codes("RK01038 and RK12 and rk1038") == []


def test_found_codes_parse():
    text = "RK888, RK888-C01, RK888-6-Q2, RK888-6-P3-4"
    for found in REKO.find(text):
        assert REKO.parse(found.code).scheme == found.scheme
    assert codes(text) == ["RK888", "RK888-C01", "RK888-6-Q2", "RK888-6-P3-4"]


def test_find_over_an_empty_text():
    assert REKO.find("") == []


def test_dated_and_dotted_codes_are_found():
    erp = load_preset("examples/erp_documents")
    found = erp.find("报价 BJ2026110001; contract WXHSZQ2026110001-2 signed")
    assert [(f.code, f.scheme) for f in found] == [
        ("BJ2026110001", "erp_quotation"),
        ("WXHSZQ2026110001-2", "erp_supplementary_contract"),
    ]
    material = load_preset("examples/material")
    assert [f.code for f in material.find("料号01.01.00001(有胶基材)")] == ["01.01.00001"]
