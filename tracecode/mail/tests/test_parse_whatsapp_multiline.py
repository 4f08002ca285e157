"""A message that spans lines keeps them; only a real stamp starts a new message."""

from tracecode.mail.parsing import parse_whatsapp


def test_continuation_lines_and_blank_lines_belong_to_the_message():
    export = parse_whatsapp(
        "31/12/2023, 21:05 - Alice: Order RK1038-1-M1:\n"
        "- 5,000 pcs\n"
        "\n"
        "- delivery CW 12\n"
        "31/12/2023, 21:06 - Zhang Wei: OK\n"
        "\n"
    )
    assert [m.text for m in export.messages] == [
        "Order RK1038-1-M1:\n- 5,000 pcs\n\n- delivery CW 12",
        "OK",
    ]
    assert [m.line for m in export.messages] == [1, 5]


def test_a_line_that_only_looks_like_a_date_is_text():
    export = parse_whatsapp(
        "31/12/2023, 21:05 - Alice: Dates:\n31/12/2023 is the deadline\n1.2.3 - see spec\n"
    )
    assert export.messages[0].text == "Dates:\n31/12/2023 is the deadline\n1.2.3 - see spec"


def test_windows_line_endings():
    export = parse_whatsapp(
        "31/12/2023, 21:05 - Alice: one\r\ntwo\r\n31/12/2023, 21:06 - Bob: three\r\n"
    )
    assert [m.text for m in export.messages] == ["one\ntwo", "three"]


def test_an_impossible_date_later_in_the_file_stays_text_and_is_reported():
    export = parse_whatsapp("31/12/2023, 21:05 - Alice: one\n30/02/2024, 10:00 - Bob: two\n")
    assert [m.text for m in export.messages] == ["one\n30/02/2024, 10:00 - Bob: two"]
    assert export.problems == ["line 2: impossible date; kept as message text"]
