"""Day/month order is decided once per file, from all of its dates."""

from datetime import datetime

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


def test_without_a_hint_two_digit_years_with_am_pm_are_month_first():
    assert parse_whatsapp("01/02/24, 10:00 AM - A: x\n").date_order == "MDY"
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
