"""RFC 2047 encoded words in subjects and names: base64 and Q, GBK and UTF-8, split words."""

import base64

from tracecode.mail.parsing import Address, parse_message


def mail_with(**fields: str) -> bytes:
    head = {
        "Message-ID": "<subject@example.com>",
        "From": "a@example.com",
        "Date": "Sun, 31 Dec 2023 21:05:33 +0800",
    } | fields
    lines = "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in head.items())
    return (lines + "\r\nbody\r\n").encode("ascii")


def b(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def test_base64_utf8_subject_is_decoded():
    assert parse_message(mail_with(Subject=b("报价 RK1038-1-S1", "utf-8"))).subject == (
        "报价 RK1038-1-S1"
    )


def test_quoted_printable_gbk_subject_is_decoded():
    subject = "=?GBK?Q?=BB=D8=B8=B4:_RK1038-1-S1_=D1=F9=C6=B7?="
    assert parse_message(mail_with(Subject=subject)).subject == "回复: RK1038-1-S1 样品"


def test_a_character_split_across_two_encoded_words_is_whole():
    data = "样品已寄出".encode()
    first = base64.b64encode(data[:4]).decode()  # cuts 品 after its first byte
    second = base64.b64encode(data[4:]).decode()
    subject = f"=?utf-8?B?{first}?=\r\n =?UTF-8?B?{second}?="
    mail = parse_message(mail_with(Subject=subject))
    assert mail.subject == "样品已寄出"
    assert mail.problems == []


def test_split_gbk_words_in_q_and_b_are_joined():
    data = "镕基报价".encode("gbk")
    subject = f"=?gbk?Q?{''.join(f'={byte:02X}' for byte in data[:3])}?= =?gbk?B?"
    subject += base64.b64encode(data[3:]).decode() + "?="
    assert parse_message(mail_with(Subject=subject)).subject == "镕基报价"


def test_whitespace_between_words_goes_but_around_plain_text_stays():
    subject = f"Re: {b('报价', 'utf-8')} {b('单', 'utf-8')} RK1038 {b('样品', 'gbk')}"
    assert parse_message(mail_with(Subject=subject)).subject == "Re: 报价单 RK1038 样品"


def test_gb2312_label_on_gbk_characters_reads_them_as_gb18030():
    subject = f"=?gb2312?B?{base64.b64encode('朱镕基'.encode('gbk')).decode()}?="
    mail = parse_message(mail_with(Subject=subject))
    assert mail.subject == "朱镕基"
    assert mail.problems == []


def test_an_unknown_charset_is_guessed_and_reported():
    subject = f"=?x-unknown?B?{base64.b64encode('样品'.encode('gbk')).decode()}?="
    mail = parse_message(mail_with(Subject=subject))
    assert mail.subject == "样品"
    assert mail.problems == ["message Subject: unknown charset 'x-unknown'; read as gb18030"]


def test_a_broken_encoded_word_is_kept_as_written_and_reported():
    mail = parse_message(mail_with(Subject="RK1038 =?utf-8?B?5oql5?= quote"))
    assert mail.subject == "RK1038 =?utf-8?B?5oql5?= quote"
    assert mail.problems == ["message Subject: undecodable encoded word '=?utf-8?B?5oql5?='"]


def test_a_language_tag_in_the_charset_is_ignored():
    assert parse_message(mail_with(Subject="=?UTF-8*zh?Q?=E6=A0=B7=E5=93=81?=")).subject == "样品"


def test_display_names_are_decoded_and_addresses_kept():
    mail = parse_message(
        mail_with(
            From=f"{b('张伟', 'gbk')} <zhang.wei@example.cn>",
            To=f'"Becker, Alice" <alice@example.com>, "{b("李娜", "utf-8")}" <li.na@example.cn>',
            Cc="purchasing@example.com",
        )
    )
    assert mail.sender == Address("张伟", "zhang.wei@example.cn")
    assert str(mail.sender) == "张伟 <zhang.wei@example.cn>"
    assert mail.to == [
        Address("Becker, Alice", "alice@example.com"),
        Address("李娜", "li.na@example.cn"),
    ]
    assert mail.cc == [Address("", "purchasing@example.com")]
