"""Day/month order is decided once per file, from all of its dates."""

from datetime import date, datetime

import pytest

from tracecode.mail.parsing import ChatFormatError, parse_whatsapp

AMBIGUOUS = "01/02/2024, 10:00 - A: x\n03/04/2024, 11:00 - B: y\n"


def test_a_day_above_12_anywhere_makes_the_file_day_first():
    export = parse_whatsapp(AMBIGUOUS + "13/04/2024, 12:00 - A: z\n")
    assert export.date_order == "DMY"
    assert export.messages[0].timestamp == datetime(2024, 2, 1, 10, 0)


def test_a_second_number_above_12_anywhere_makes_the_file_month_first():
    export = parse_whatsapp(AMBIGUOUS + "04/13/2024, 12:00 - A: z\n")
    assert export.date_order == "MDY"
    assert export.messages[0].timestamp == datetime(2024, 1, 2, 10, 0)


@pytest.mark.parametrize(
    ("locale", "order"), [("en_US", "MDY"), ("en-GB", "DMY"), ("de_DE.UTF-8", "DMY")]
)
def test_the_device_locale_decides_when_every_date_fits_both(locale, order):
    assert parse_whatsapp(AMBIGUOUS, locale=locale).date_order == order


def test_without_a_hint_the_guess_for_two_digit_years_with_am_pm_is_month_first():
    export = parse_whatsapp("01/02/24, 10:00 AM - A: x\n")
    assert (export.date_order, export.ambiguous) == ("MDY", True)
    assert parse_whatsapp("01/02/24, 10:00 - A: x\n").date_order == "DMY"
    assert parse_whatsapp("01/02/2024, 10:00 AM - A: x\n").date_order == "DMY"
    assert parse_whatsapp(AMBIGUOUS).date_order == "DMY"


def test_a_locale_without_a_country_is_no_hint():
    assert parse_whatsapp("01/02/24, 10:00 AM - A: x\n", locale="en").date_order == "MDY"


def test_dates_in_both_orders_are_refused():
    with pytest.raises(ChatFormatError) as refused:
        parse_whatsapp("13/01/2024, 10:00 - A: x\n01/13/2024, 10:00 - A: y\n")
    assert refused.value.line == 2
    assert str(refused.value) == (
        "line 2: dates in both day/month orders: '01/13/2024, 10:00 - A: y'"
    )


TODAY = date(2026, 12, 5)


def test_two_digit_year_first_dates_are_read_as_such():
    export = parse_whatsapp("26/03/09, 14:05 - Ander: RK1038-1 prest?\n", today=TODAY)
    assert (export.date_order, export.ambiguous) == ("YMD", False)
    assert export.messages[0].timestamp == datetime(2026, 3, 9, 14, 5)


def test_the_year_is_the_field_that_changes_least():
    export = parse_whatsapp(
        "25/11/28, 09:00 - A: x\n25/12/03, 09:00 - A: y\n26/01/15, 09:00 - A: z\n", today=TODAY
    )
    assert export.date_order == "YMD"
    assert [m.timestamp.date() for m in export.messages] == [
        date(2025, 11, 28), date(2025, 12, 3), date(2026, 1, 15)
    ]  # fmt: skip


def test_korean_year_first_with_spaces_and_afternoon():
    export = parse_whatsapp("26. 3. 9. 오후 2:05 - 김민준: RK1038-1 확인\n", today=TODAY)
    assert export.messages[0].timestamp == datetime(2026, 3, 9, 14, 5)


def test_a_reading_that_puts_messages_in_the_future_is_out():
    # Today is 5 December 2026: 11/12/2026 cannot be 11 December yet.
    export = parse_whatsapp("11/12/2026, 10:00 - A: x\n", today=TODAY)
    assert (export.date_order, export.ambiguous) == ("MDY", False)
    export = parse_whatsapp("12/11/2026, 10:00 - A: x\n", today=TODAY)
    assert (export.date_order, export.ambiguous) == ("DMY", False)


def test_a_chat_is_in_time_order():
    # Every day is at most 12, but only day-first keeps the messages in order.
    lines = ["10/01/2024, 09:00 - A: a", "12/01/2024, 09:00 - A: b", "02/02/2024, 09:00 - A: c"]
    export = parse_whatsapp("\n".join(lines) + "\n", today=TODAY)
    assert (export.date_order, export.ambiguous) == ("DMY", False)


def test_a_really_ambiguous_file_gives_both_readings():
    export = parse_whatsapp(
        "01/02/2024, 10:00 - A: x\n03/04/2024, 11:00 - B: y\n05/06/2024, 12:00 - B: z\n",
        today=TODAY,
    )
    assert export.ambiguous
    assert export.readings == {
        "DMY": (datetime(2024, 2, 1, 10, 0), datetime(2024, 6, 5, 12, 0)),
        "MDY": (datetime(2024, 1, 2, 10, 0), datetime(2024, 5, 6, 12, 0)),
    }


def test_a_chosen_order_is_used():
    export = parse_whatsapp(AMBIGUOUS, date_order="MDY", today=TODAY)
    assert (export.date_order, export.ambiguous, export.readings) == ("MDY", False, {})
    assert export.messages[0].timestamp == datetime(2024, 1, 2, 10, 0)


def test_a_chosen_order_the_file_contradicts_is_refused_naming_the_line():
    with pytest.raises(ChatFormatError) as refused:
        parse_whatsapp(AMBIGUOUS + "13/04/2024, 12:00 - A: z\n", date_order="MDY")
    assert refused.value.line == 3
    assert "not a MDY date" in str(refused.value)


def test_dates_that_read_the_same_in_every_order_ask_nothing():
    export = parse_whatsapp("3/3/26, 9:05 AM - A: x\n", today=TODAY)
    assert not export.ambiguous
    assert export.messages[0].timestamp == datetime(2026, 3, 3, 9, 5)
