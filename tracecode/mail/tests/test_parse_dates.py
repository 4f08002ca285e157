"""Date headers become aware datetimes, or None with a problem."""

from datetime import UTC, datetime, timedelta, timezone

from tracecode.mail.parsing import parse_message


def dated(value: str) -> bytes:
    return f"From: a@example.com\r\nMessage-ID: <d@x>\r\nDate: {value}\r\n\r\nbody\r\n".encode()


def test_a_date_keeps_its_zone():
    parsed = parse_message(dated("Sun, 31 Dec 2023 21:05:33 +0800 (CST)"))
    assert parsed.date == datetime(2023, 12, 31, 21, 5, 33, tzinfo=timezone(timedelta(hours=8)))


def test_an_unknown_zone_is_taken_as_utc():
    assert parse_message(dated("31 Dec 2023 13:05:33 -0000")).date == datetime(
        2023, 12, 31, 13, 5, 33, tzinfo=UTC
    )


def test_an_unreadable_date_is_none_and_reported():
    parsed = parse_message(dated("星期日 2023年12月31日"))
    assert parsed.date is None
    assert parsed.problems == ["message Date: cannot read '星期日 2023年12月31日'"]


def test_a_missing_date_is_reported():
    parsed = parse_message(b"From: a@example.com\r\nMessage-ID: <d@x>\r\n\r\nbody\r\n")
    assert parsed.date is None
    assert parsed.problems == ["message: no Date header"]
