"""Bodies in the charsets of real Chinese mail, and labels that lie about them."""

from pathlib import Path

import pytest

from tracecode.mail.parsing import decode_bytes, parse_message

SAMPLES = Path(__file__).parent / "samples"
TEXT = "您好，样品 RK1038-1-S1 已寄出。"
TRADITIONAL = "您好，樣品 RK2051-3-M1 已寄出。"


def mail_with_body(body: bytes, content_type: str = "text/plain") -> bytes:
    head = (
        "From: zhang.wei@example.cn\r\nDate: Sun, 31 Dec 2023 21:05:33 +0800\r\n"
        f"Message-ID: <charset@example.cn>\r\nContent-Type: {content_type}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode("ascii") + body


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("gbk", TEXT),
        ("GB2312", TEXT),
        ("gb18030", TEXT + "𠀀"),
        ("big5", TRADITIONAL),
        ("utf-8", TEXT),
    ],
)
def test_each_chinese_charset_is_read_as_declared(label, text):
    body = text.encode("gb18030" if label.lower() == "gb2312" else label)
    mail = parse_message(mail_with_body(body, f"text/plain; charset={label}"))
    assert mail.text == text
    assert mail.problems == []


def test_gb2312_label_on_gbk_and_gb18030_text_reads_every_character():
    text = "朱镕基 喆 堃 € 𠀀 RK1038"  # none of these are in GB2312
    mail = parse_message(mail_with_body(text.encode("gb18030"), 'text/plain; charset="gb2312"'))
    assert mail.text == text
    assert mail.problems == []


def test_big5_label_on_windows_big5_text_is_read_with_cp950():
    text = "報價 €1,200"  # the euro sign exists in cp950 only
    mail = parse_message(mail_with_body(text.encode("cp950"), "text/plain; charset=big5"))
    assert mail.text == text


def test_latin1_label_on_utf8_text_is_detected_and_reported():
    mail = parse_message(mail_with_body(TEXT.encode(), "text/plain; charset=iso-8859-1"))
    assert mail.text == TEXT
    assert mail.problems == ["message (text/plain): not iso-8859-1 as declared; read as utf-8"]


def test_ascii_label_on_gbk_text_is_detected_and_reported():
    mail = parse_message(mail_with_body(TEXT.encode("gbk"), "text/plain; charset=us-ascii"))
    assert mail.text == TEXT
    assert mail.problems == ["message (text/plain): not us-ascii as declared; read as gb18030"]


def test_missing_label_on_big5_text_is_guessed_quietly():
    mail = parse_message(mail_with_body(TRADITIONAL.encode("big5")))
    assert mail.text == TRADITIONAL
    assert mail.problems == []


def test_utf8_label_on_gbk_text_is_detected_and_reported():
    mail = parse_message(mail_with_body(TEXT.encode("gbk"), "text/plain; charset=utf-8"))
    assert mail.text == TEXT
    assert mail.problems == ["message (text/plain): not utf-8 as declared; read as gb18030"]


def test_real_latin1_text_stays_latin1():
    text = "Grüße für Sie, café crème à la française"
    mail = parse_message(mail_with_body(text.encode("latin-1"), "text/plain; charset=iso-8859-1"))
    assert mail.text == text
    assert mail.problems == []


def test_bytes_that_fit_no_guess_are_replaced_and_reported():
    mail = parse_message(mail_with_body("für".encode("latin-1"), "text/plain; charset=utf-8"))
    assert mail.text == "f\ufffdr"
    assert mail.problems == ["message (text/plain): not valid utf-8; undecodable bytes replaced"]


def test_html_without_a_mime_charset_uses_its_meta_charset():
    html = f'<html><head><meta charset="gbk"></head><body><p>{TEXT}</p></body></html>'
    mail = parse_message(mail_with_body(html.encode("gbk"), "text/html"))
    assert mail.text == TEXT
    assert mail.problems == []


def test_a_short_unlabelled_gbk_text_is_read_but_accented_latin_is_not_taken_for_chinese():
    assert decode_bytes("单".encode("gbk"), None).text == "单"
    assert decode_bytes("déjà vu".encode("latin-1"), "iso-8859-1").text == "déjà vu"


def test_the_big5_sample_from_taiwan():
    mail = parse_message((SAMPLES / "big5_quotation.eml").read_bytes())
    assert mail.subject == "報價 RK2051-3-M1 模具"
    assert mail.sender.name == "林美玲"
    assert "附上 RK2051-3-M1 的報價，交期四週。" in mail.text
    assert mail.problems == []
