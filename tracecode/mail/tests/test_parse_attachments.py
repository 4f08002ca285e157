"""Attachments and inline images: decoded names (RFC 2231, RFC 2047), safe names, payloads."""

import base64

from tracecode.mail.parsing import parse_message, safe_filename

PNG = "iVBORw0KGgo="


def multipart(*parts: str, kind: str = "mixed") -> bytes:
    head = (
        "From: li.na@example.cn\r\nDate: Sun, 31 Dec 2023 21:05:33 +0800\r\n"
        f"Message-ID: <files@example.cn>\r\nContent-Type: multipart/{kind}; boundary=B\r\n\r\n"
    )
    return (head + "".join(f"--B\r\n{part}\r\n" for part in parts) + "--B--\r\n").encode()


def test_inline_image_and_chinese_rfc2231_attachment():
    mail = parse_message(
        multipart(
            'Content-Type: text/html; charset=utf-8\r\n\r\n<p>Logo: <img src="cid:logo@x"></p>',
            "Content-Type: image/png\r\nContent-ID: <logo@x>\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{PNG}",
            "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment;\r\n"
            " filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20RK1038-1-Q1.pdf\r\n\r\nJVBERi0xLjQ=",
            kind="related",
        )
    )
    logo, quotation = mail.attachments
    assert (logo.filename, logo.content_type, logo.content_id, logo.inline) == (
        "image-1.png",
        "image/png",
        "logo@x",
        True,
    )
    assert logo.payload == b"\x89PNG\r\n\x1a\n"
    assert (quotation.filename, quotation.inline, quotation.content_id) == (
        "报价单 RK1038-1-Q1.pdf",
        False,
        None,
    )
    assert quotation.payload == b"%PDF-1.4"
    assert quotation.size == 8
    assert mail.text == "Logo:"


def test_gbk_rfc2231_name_in_continuations():
    mail = parse_message(
        multipart(
            "Content-Type: text/plain\r\n\r\nsee attachment",
            "Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n"
            " filename*0*=gbk''%B1%A8%BC%DB;\r\n filename*1*=%B5%A5;\r\n"
            ' filename*2=".xlsx"\r\n\r\nPK',
        )
    )
    assert [a.filename for a in mail.attachments] == ["报价单.xlsx"]


def test_encoded_word_names_from_outlook_and_foxmail():
    word = f"=?gb2312?B?{base64.b64encode('报价单'.encode('gb2312')).decode()}?="
    mail = parse_message(
        multipart(
            "Content-Type: text/plain\r\n\r\nbody",
            f'Content-Type: application/pdf; name="{word} RK1038.pdf"\r\n'
            f'Content-Disposition: attachment; filename="{word} RK1038.pdf"\r\n\r\n%PDF',
        )
    )
    assert [a.filename for a in mail.attachments] == ["报价单 RK1038.pdf"]


def test_a_named_text_part_is_an_attachment_not_the_body():
    mail = parse_message(
        multipart(
            "Content-Type: text/plain\r\n\r\nThe body",
            'Content-Type: text/plain; name="packing list.txt"\r\n\r\nbox 1: 500 pcs',
            "Content-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR",
        )
    )
    assert mail.text == "The body"
    assert [(a.filename, a.payload) for a in mail.attachments] == [
        ("packing list.txt", b"box 1: 500 pcs"),
        ("attachment-2.ics", b"BEGIN:VCALENDAR"),
    ]


def test_unsafe_names_are_made_safe():
    names = ["../../etc/passwd", "C:\\\\Users\\\\a\\\\evil.exe", ".."]
    parts = [
        "Content-Type: application/octet-stream\r\n"
        f'Content-Disposition: attachment; filename="{name}"\r\n\r\nx'
        for name in names
    ]
    mail = parse_message(multipart("Content-Type: text/plain\r\n\r\nbody", *parts))
    assert [a.filename for a in mail.attachments] == ["passwd", "evil.exe", "attachment-3.bin"]


def test_control_and_direction_characters_are_removed_from_names():
    assert safe_filename("invoice\u202egpj.exe", "x") == "invoicegpj.exe"
    assert safe_filename("line\r\nbreak\x00.pdf", "x") == "linebreak.pdf"
    assert safe_filename('a<b>c:"d"|e?f*.txt', "x") == "a_b_c__d__e_f_.txt"
    assert safe_filename("   ", "fallback.bin") == "fallback.bin"
    assert safe_filename(None, "fallback.bin") == "fallback.bin"


def test_a_very_long_name_keeps_its_extension():
    name = safe_filename("报价" * 200 + ".pdf", "x")
    assert name.endswith(".pdf")
    assert len(name.encode()) <= 200
