"""Android "Export chat" files in the date formats Android phones write."""

from datetime import datetime
from pathlib import Path

import pytest

from tracecode.mail.parsing import parse_whatsapp

SAMPLES = Path(__file__).parent / "samples"


@pytest.mark.parametrize(
    ("line", "order"),
    [
        ("12/31/23, 9:05 PM - Alice: RK1038-1-S1 shipped?", "MDY"),
        ("12/31/23, 9:05\u202fPM - Alice: RK1038-1-S1 shipped?", "MDY"),
        ("12/31/23, 9:05\u00a0p.\u00a0m. - Alice: RK1038-1-S1 shipped?", "MDY"),
        ("31/12/2023, 21:05 - Alice: RK1038-1-S1 shipped?", "DMY"),
        ("31/12/2023 21:05 - Alice: RK1038-1-S1 shipped?", "DMY"),
        ("2023-12-31, 21:05 - Alice: RK1038-1-S1 shipped?", "YMD"),
        ("31.12.23, 21:05 - Alice: RK1038-1-S1 shipped?", "DMY"),
    ],
)
def test_each_android_date_format(line, order):
    export = parse_whatsapp(line + "\n")
    (message,) = export.messages
    assert (export.format, export.date_order) == ("android", order)
    assert message.timestamp == datetime(2023, 12, 31, 21, 5)
    assert (message.sender, message.text, message.line) == ("Alice", "RK1038-1-S1 shipped?", 1)


def test_midnight_and_noon_in_twelve_hour_clocks():
    export = parse_whatsapp("1/2/24, 12:05 AM - A: night\n1/2/24, 12:05 PM - A: noon\n")
    assert [m.timestamp.hour for m in export.messages] == [0, 12]


def test_phone_number_senders_and_colons_in_the_text():
    export = parse_whatsapp("31/12/2023, 21:05 - +86 138 0013 8000: Price: EUR 0.42 at 10:00\n")
    (message,) = export.messages
    assert message.sender == "+86 138 0013 8000"
    assert message.text == "Price: EUR 0.42 at 10:00"


def test_the_android_sample():
    export = parse_whatsapp(
        (SAMPLES / "whatsapp_android_en.txt").read_text("utf-8"), {"IMG-20231231-WA0001.jpg"}
    )
    assert export.format == "android"
    assert export.date_order == "MDY"  # 1/13/24 settles it
    assert [(m.timestamp, m.sender) for m in export.messages] == [
        (datetime(2023, 12, 31, 21, 5), None),
        (datetime(2023, 12, 31, 21, 5), "Alice Becker"),
        (datetime(2023, 12, 31, 21, 7), "Zhang Wei"),
        (datetime(2023, 12, 31, 21, 8), "Zhang Wei"),
        (datetime(2024, 1, 2, 8, 15), "Alice Becker"),
        (datetime(2024, 1, 13, 16, 40), "Alice Becker"),
    ]
    assert (
        export.messages[2].text
        == "Shipped today. Tracking number:\nSF1234567890\nExpected on Jan 5."
    )
    assert export.messages[3].media == ["IMG-20231231-WA0001.jpg"]
    assert export.problems == []
