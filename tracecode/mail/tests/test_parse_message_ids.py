"""Message-IDs for threading: normalised, and a stable synthetic one when a mail has none."""

import hashlib

from tracecode.mail.parsing import parse_message, synthetic_message_id

HEAD = "From: a@example.com\r\nDate: Sun, 31 Dec 2023 21:05:33 +0800\r\n"


def mail(headers: str = "", body: str = "RK1038-1-S1") -> bytes:
    return (HEAD + headers + "\r\n" + body + "\r\n").encode()


def test_ids_are_normalised_to_angle_brackets_without_spaces():
    assert (
        parse_message(mail("Message-ID: <abc@example.com>\r\n")).message_id == "<abc@example.com>"
    )
    assert (
        parse_message(mail("Message-ID:  abc@example.com \r\n")).message_id == "<abc@example.com>"
    )
    assert (
        parse_message(mail("Message-Id:\r\n <a b@example.com>\r\n")).message_id
        == "<ab@example.com>"
    )


def test_reply_headers_give_the_thread():
    parsed = parse_message(
        mail(
            "Message-ID: <3@example.com>\r\n"
            "In-Reply-To: <2@example.com> (Alice's message of Sunday)\r\n"
            "References: <1@example.com>\r\n <2@example.com> <1@example.com>\r\n"
        )
    )
    assert parsed.in_reply_to == "<2@example.com>"
    assert parsed.references == ["<1@example.com>", "<2@example.com>"]


def test_a_mail_without_message_id_gets_the_sha256_of_its_bytes():
    raw = mail()
    parsed = parse_message(raw)
    assert parsed.synthetic_id
    assert parsed.message_id == f"<{hashlib.sha256(raw).hexdigest()}@tracecode>"
    assert parsed.message_id == synthetic_message_id(raw)
    assert parsed.problems == [f"message: no Message-ID; using {parsed.message_id}"]


def test_same_bytes_same_id_other_bytes_other_id():
    assert parse_message(mail()).message_id == parse_message(mail()).message_id
    assert parse_message(mail()).message_id != parse_message(mail(body="RK1038-1-S2")).message_id


def test_an_empty_or_garbage_message_id_is_replaced_too():
    parsed = parse_message(mail("Message-ID: <>\r\n"))
    assert parsed.synthetic_id
    assert parsed.message_id.endswith("@tracecode>")


def test_a_real_id_is_not_synthetic():
    parsed = parse_message(mail("Message-ID: <abc@example.com>\r\n"))
    assert not parsed.synthetic_id
    assert parsed.problems == []
