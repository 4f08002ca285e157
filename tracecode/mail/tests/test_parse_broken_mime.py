"""Broken mail is read as far as it goes: the rest of the mail survives, problems say what broke."""

import base64
from dataclasses import fields, is_dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracecode.mail.parsing import ParsedMail, parse_message

SAMPLES = Path(__file__).parent / "samples"
HEAD = b"From: a@example.com\r\nDate: Sun, 31 Dec 2023 21:05:33 +0800\r\nMessage-ID: <b@x>\r\n"


def test_a_missing_closing_boundary_keeps_the_text_and_the_attachment():
    raw = HEAD + (
        b'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n'
        b"--XX\r\nContent-Type: text/plain\r\n\r\nRK1038-1-M1 packing list attached\r\n"
        b'--XX\r\nContent-Type: application/pdf; name="PL.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n"
    )
    mail = parse_message(raw)
    assert mail.text == "RK1038-1-M1 packing list attached"
    assert [(a.filename, a.payload) for a in mail.attachments] == [("PL.pdf", b"%PDF-1.4")]
    assert mail.problems == [
        "message (multipart/mixed): A start boundary was found, "
        "but not the corresponding close boundary"
    ]


def test_a_cut_off_base64_attachment_is_decoded_as_far_as_it_goes():
    data = base64.b64encode(b"%PDF-1.4 the first bytes of a drawing")[:-3]
    raw = (
        HEAD + b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + data
    )
    (attachment,) = parse_message(raw).attachments
    assert attachment.payload.startswith(b"%PDF-1.4 the first bytes of a dra")
    assert parse_message(raw).problems == [
        "message (application/pdf): damaged base64; decoded as far as it goes"
    ]


def test_text_labelled_base64_is_read_as_text():
    body = "您好，样品 RK1038-1-S1 已经寄出了。".encode("gbk")
    raw = HEAD + (
        b"Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body
    )
    mail = parse_message(raw)
    assert mail.text == "您好，样品 RK1038-1-S1 已经寄出了。"
    assert mail.problems == ["message (text/plain): declared base64 but is not; read as 8bit"]


def test_an_unknown_transfer_encoding_leaves_the_bytes_as_they_are():
    raw = (
        HEAD
        + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bits\r\n\r\n"
    )
    assert parse_message(raw + "样品".encode()).text == "样品"


def test_a_multipart_without_boundary_is_read_as_text():
    mail = parse_message(HEAD + b"Content-Type: multipart/mixed\r\n\r\nJust text RK1038\r\n")
    assert mail.text == "Just text RK1038"
    assert any("no boundary parameter" in problem for problem in mail.problems)


def test_a_mail_without_headers_is_text_with_problems():
    mail = parse_message("只有正文，没有信头\n第二行".encode("gbk"))
    assert mail.text == "只有正文，没有信头\n第二行"
    assert mail.synthetic_id
    assert mail.problems[0] == "message: no mail headers"


def test_empty_and_binary_input_give_a_mail_with_problems():
    assert parse_message(b"").problems[0] == "message: no mail headers"
    mail = parse_message(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    assert mail.message_id.endswith("@tracecode>")
    assert mail.problems


def test_missing_sender_and_date_are_reported():
    mail = parse_message(b"Subject: RK1038\r\nMessage-ID: <m@x>\r\n\r\nbody\r\n")
    assert mail.sender is None
    assert mail.problems == ["message: no From header", "message: no Date header"]


def strings(value):
    """Every string inside a parsed mail, however deep."""
    if isinstance(value, str):
        yield value
    elif is_dataclass(value):
        for item in fields(value):
            yield from strings(getattr(value, item.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


SEEDS = [path.read_bytes() for path in sorted(SAMPLES.glob("*.eml"))]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.sampled_from(SEEDS),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 40), st.binary(max_size=12))),
)
def test_no_damage_makes_parsing_raise_or_leak_undecoded_bytes(seed, cuts):
    raw = bytearray(seed)
    for where, length, replacement in cuts:
        start = int(where * len(raw))
        raw[start : start + length] = replacement
    mail = parse_message(bytes(raw))
    assert isinstance(mail, ParsedMail)
    for text in strings(mail):
        text.encode("utf-8")  # no lone surrogates: every string can be stored and shown
