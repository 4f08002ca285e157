"""Headers sent as raw 8-bit bytes (Foxmail, some webmail) instead of encoded words."""

from pathlib import Path

from tracecode.mail.parsing import Address, parse_message

SAMPLES = Path(__file__).parent / "samples"


def raw_mail(headers: str, charset: str, content_type: str = "text/plain; charset=gbk") -> bytes:
    head = "Message-ID: <raw@example.cn>\r\nDate: Sun, 31 Dec 2023 21:05:33 +0800\r\n"
    head += f"Content-Type: {content_type}\r\n" if content_type else ""
    return (head + headers + "\r\n样品已寄出\r\n").encode(charset)


def test_raw_gbk_subject_and_names_are_read_with_the_body_charset():
    mail = parse_message(
        raw_mail(
            "Subject: 回复: RK1038-1-S1 朱镕基路\r\nFrom: 张伟 <zhang.wei@example.cn>\r\n"
            'To: 李娜 <li.na@example.cn>, "Becker, Alice" <alice@example.com>\r\n',
            "gbk",
        )
    )
    assert mail.subject == "回复: RK1038-1-S1 朱镕基路"
    assert mail.sender == Address("张伟", "zhang.wei@example.cn")
    assert mail.to == [
        Address("李娜", "li.na@example.cn"),
        Address("Becker, Alice", "alice@example.com"),
    ]
    assert mail.problems == []


def test_raw_gbk_headers_without_any_charset_are_guessed():
    mail = parse_message(
        raw_mail("Subject: 样品 RK1038\r\nFrom: 张伟 <z@example.cn>\r\n", "gbk", content_type="")
    )
    assert mail.subject == "样品 RK1038"
    assert mail.sender.name == "张伟"
    assert mail.text == "样品已寄出"


def test_raw_utf8_headers_of_a_utf8_mail_are_read():
    mail = parse_message(
        raw_mail(
            "Subject: 报价单\r\nFrom: 张伟 <z@example.cn>\r\n", "utf-8", "text/plain; charset=utf-8"
        )
    )
    assert mail.subject == "报价单"
    assert mail.sender.name == "张伟"
    assert mail.problems == []


def test_raw_gbk_bytes_that_look_like_address_syntax_do_not_break_the_address():
    # 镕 is 0xE9 0x40 in GBK: its second byte is "@".
    mail = parse_message(raw_mail("Subject: x\r\nFrom: 朱镕基 <zhu@example.cn>\r\n", "gbk"))
    assert mail.sender == Address("朱镕基", "zhu@example.cn")


def test_a_raw_gbk_attachment_name_is_read():
    headers = (
        "Subject: x\r\nFrom: z@example.cn\r\n"
        "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        "Content-Type: text/plain; charset=gbk\r\n\r\n正文\r\n--B\r\n"
        'Content-Type: application/pdf; name="报价单.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--B--\r\n"
    )
    mail = parse_message(raw_mail(headers, "gbk", content_type=""))
    assert [attachment.filename for attachment in mail.attachments] == ["报价单.pdf"]


def test_the_foxmail_sample():
    mail = parse_message((SAMPLES / "foxmail_gbk_raw_headers.eml").read_bytes())
    assert mail.subject == "回复: RK1038-1-S1 样品已寄出"
    assert mail.sender == Address("张伟", "zhang.wei@example.cn")
    assert mail.to == [Address("李娜", "li.na@example.com")]
    assert "朱镕基路仓库发货。" in mail.text  # 镕 is GBK, the part says gb2312
    assert [a.filename for a in mail.attachments] == ["快递单 RK1038-1-S1.pdf"]
    assert mail.problems == []
