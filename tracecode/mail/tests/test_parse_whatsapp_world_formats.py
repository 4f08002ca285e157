"""Exports as phones around the world write them (modelled on public exports from many
phones and locales): each line reads as the same message at the same time."""

from datetime import datetime

import pytest

from tracecode.mail.parsing import parse_whatsapp

WHEN = datetime(2022, 3, 18, 14, 56, 1)


@pytest.mark.parametrize(
    ("line", "style"),
    [
        # German iPhone, a BOM inside the bracket
        ("[\ufeff18.03.22, 14:56:01] Elon Musk: RK1038-1", "iphone"),
        # Arabic iPhone: right-to-left marks around the numbers, Arabic comma
        ("[\u200f18\u200f/3\u200f/2022، 14:56:01] Elon Musk: RK1038-1", "iphone"),
        # Arabic iPhone with Arabic-Indic digits and م (PM)
        ("[١٨\u200f/٣\u200f/٢٠٢٢، ٢:٥٦:٠١\u00a0م] Elon Musk: RK1038-1", "iphone"),
        # Vietnamese iPhone: the time before the date
        ("[14:56:01, 18/3/22] Elon Musk: RK1038-1", "iphone-time-first"),
        # Thai iPhone, Buddhist calendar
        ("[18/3/2565 BE, 14:56:01] Elon Musk: RK1038-1", "iphone"),
        # Japanese iPhone, Reiwa era
        ("[18/3/R4, 14:56:01] Elon Musk: RK1038-1", "iphone"),
        # iPhones before 2017: no brackets, a colon after the time
        ("18/03/22, 14:56:01: Elon Musk: RK1038-1", "iphone-old"),
        ("18.03.22 14.56.01: Elon Musk: RK1038-1", "iphone-old"),
        # Czech and Hungarian: spaces after the dots, a dot after the year
        ("18. 3. 2022. 14:56:01 - Elon Musk: RK1038-1", "android"),
        # Finnish: "klo" before the time
        ("18.3.2022 klo 14.56.01 - Elon Musk: RK1038-1", "android"),
        # Spanish twelve-hour clock with spaced "p. m."
        ("18/03/2022, 02:56:01 p. m. - Elon Musk: RK1038-1", "android"),
        ("[18/3/22 2:56:01 p. m.] Elon Musk: RK1038-1", "iphone"),
        # Korean: 오후 (afternoon) before the time
        ("2022. 3. 18. 오후 2:56:01 - Elon Musk: RK1038-1", "android"),
        # English (India) day periods
        ("18/03/2022, 2:56:01 in the afternoon - Elon Musk: RK1038-1", "android"),
    ],
)
def test_a_message_line_from_a_phone_of_each_locale(line, style):
    export = parse_whatsapp(line + "\n")
    (message,) = export.messages
    assert export.format == style
    assert message.timestamp == WHEN
    assert (message.sender, message.text) == ("Elon Musk", "RK1038-1")


def test_a_night_hour_in_day_periods():
    export = parse_whatsapp(
        "18/03/2022, 9:15 at night - A: late\n19/03/2022, 1:30 at night - A: later\n"
        "19/03/2022, 9:15 in the morning - A: early\n"
    )
    assert [m.timestamp.hour for m in export.messages] == [21, 1, 9]


def test_an_old_iphone_export_with_its_system_lines():
    export = parse_whatsapp(
        "7/1/16, 4:56:55 PM: \u200eSophia H. created this group\n"
        "7/1/16, 4:57:02 PM: Sophia H.: Samples for RK1038-1-S1 are out\n"
        "7/13/16, 9:01:10 AM: \u202a+55 61 8121-3457\u202c: <\u200eimage omitted>\n"
    )
    assert [(m.sender, m.text) for m in export.messages] == [
        (None, "Sophia H. created this group"),
        ("Sophia H.", "Samples for RK1038-1-S1 are out"),
        ("+55 61 8121-3457", "<\u200eimage omitted>"),
    ]
    assert export.date_order == "MDY"
    assert export.messages[2].placeholder


@pytest.mark.parametrize(
    "text",
    [
        "<Media omitted>",
        "IMG-20220323-WA0002.jpg (file attached)\nthe caption",
        "<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>",
        "\u200eизображение отсутствует",  # a Russian iPhone's "image omitted"
    ],
)
def test_media_placeholders_in_any_language_are_known(text):
    line = f"[27/03/2022, 21:41:55] Dmitry S: {text}"
    assert parse_whatsapp(line + "\n").messages[0].placeholder


def test_text_is_no_placeholder():
    (message,) = parse_whatsapp("[27/03/2022, 21:41:55] Dmitry S: see <RK1038-1> please\n").messages
    assert not message.placeholder
