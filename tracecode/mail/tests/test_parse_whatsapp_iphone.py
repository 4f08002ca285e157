"""iPhone "Export chat" files: bracketed stamps, seconds, and the marks iOS puts around text."""

from datetime import datetime
from pathlib import Path

import pytest

from tracecode.mail.parsing import parse_whatsapp

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(
    ("line", "order"),
    [
        ("[31/12/2023, 21:05:33] Alice: RK1038-1-S1 shipped?", "DMY"),
        ("[12/31/23, 9:05:33 PM] Alice: RK1038-1-S1 shipped?", "MDY"),
        ("[12/31/23, 9:05:33\u202fPM] Alice: RK1038-1-S1 shipped?", "MDY"),
        ("\u200e[31.12.23, 21:05:33] Alice: RK1038-1-S1 shipped?", "DMY"),
        ("[2023-12-31, 21:05:33] Alice: RK1038-1-S1 shipped?", "YMD"),
    ],
)
def test_each_iphone_date_format(line, order):
    export = parse_whatsapp(line)
    (message,) = export.messages
    assert (export.format, export.date_order) == ("iphone", order)
    assert message.timestamp == datetime(2023, 12, 31, 21, 5, 33)
    assert (message.sender, message.text) == ("Alice", "RK1038-1-S1 shipped?")


def test_a_byte_order_mark_and_direction_marks_are_not_part_of_the_text():
    export = parse_whatsapp("\ufeff[31/12/2023, 21:05:33] Alice: \u200eimage omitted\u200e")
    assert export.messages[0].text == "image omitted"


def test_the_iphone_sample():
    export = parse_whatsapp(
        (SAMPLES / "whatsapp_iphone_en.txt").read_text("utf-8"),
        {"00000012-PHOTO-2023-12-31-21-06-12.jpg"},
    )
    assert export.format == "iphone"
    assert [(m.sender, m.text.split("\n")[0]) for m in export.messages] == [
        (None, export.messages[0].text),
        (None, "Alice Becker created group “RK1038 Project”"),
        ("Alice Becker", "Drawing for RK1038-1-S2 below"),
        ("Alice Becker", "<attached: 00000012-PHOTO-2023-12-31-21-06-12.jpg>"),
        ("+86\u00a0138\u00a00013\u00a08000", "Received, thank you."),
        ("Alice Becker", "image omitted"),
    ]
    assert export.messages[0].text.startswith("Messages and calls are end-to-end encrypted.")
    assert export.messages[3].media == ["00000012-PHOTO-2023-12-31-21-06-12.jpg"]
    assert export.messages[4].text == "Received, thank you.\nWe start tooling on Monday."
    assert export.messages[5].timestamp == datetime(2024, 1, 1, 9, 0)
