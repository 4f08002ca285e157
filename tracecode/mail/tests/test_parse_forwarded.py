"""Mails forwarded as attachments (message/rfc822): their text, files, subject and sender."""

import base64
from email.message import EmailMessage
from pathlib import Path

from tracecode.mail.parsing import Address, parse_message

SAMPLES = Path(__file__).parent / "samples"


def customer_mail(message_id: str | None = "<drawing@example.com>") -> EmailMessage:
    inner = EmailMessage()
    inner["From"] = "Alice Becker <alice@example.com>"
    inner["To"] = "sales@example.cn"
    inner["Subject"] = "Drawing rev C for RK1038-1-S2"
    inner["Date"] = "Thu, 4 Jan 2024 08:00:00 +0100"
    if message_id:
        inner["Message-ID"] = message_id
    inner.set_content("Please use rev C.")
    inner.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="SP1003 C.pdf")
    return inner


def forward(inner: EmailMessage, text: str = "张伟，请看客户邮件。") -> bytes:
    outer = EmailMessage()
    outer["From"] = "李娜 <li.na@example.cn>"
    outer["Subject"] = "转发: Drawing rev C"
    outer["Date"] = "Thu, 4 Jan 2024 09:12:00 +0800"
    outer["Message-ID"] = "<fwd@example.cn>"
    outer.set_content(text)
    outer.add_attachment(inner)
    return outer.as_bytes()


def test_the_forwarded_mail_keeps_its_own_subject_and_sender():
    mail = parse_message(forward(customer_mail()))
    (inner,) = mail.forwarded
    assert inner.subject == "Drawing rev C for RK1038-1-S2"
    assert inner.sender == Address("Alice Becker", "alice@example.com")
    assert inner.message_id == "<drawing@example.com>"
    assert inner.text == "Please use rev C."
    assert mail.subject == "转发: Drawing rev C"
    assert mail.sender.name == "李娜"


def test_the_forwarded_text_and_files_are_part_of_the_outer_mail():
    mail = parse_message(forward(customer_mail()))
    assert mail.text.startswith("张伟，请看客户邮件。\n\n---------- Forwarded message ----------\n")
    assert "Subject: Drawing rev C for RK1038-1-S2\n" in mail.text
    assert mail.text.endswith("\n\nPlease use rev C.")
    assert [a.filename for a in mail.attachments] == ["SP1003 C.pdf"]
    assert mail.forwarded[0].attachments == mail.attachments


def test_a_forward_of_a_forward_is_nested():
    middle = EmailMessage()
    middle["From"] = "bob@example.com"
    middle["Subject"] = "Fwd: drawing"
    middle["Message-ID"] = "<middle@example.com>"
    middle.set_content("FYI")
    middle.add_attachment(customer_mail())
    mail = parse_message(forward(middle))
    assert [f.subject for f in mail.forwarded] == ["Fwd: drawing"]
    assert [f.subject for f in mail.forwarded[0].forwarded] == ["Drawing rev C for RK1038-1-S2"]
    assert [a.filename for a in mail.attachments] == ["SP1003 C.pdf"]
    assert "Please use rev C." in mail.text


def test_a_forwarded_mail_without_message_id_gets_its_own_stable_id():
    raw = forward(customer_mail(message_id=None))
    first, second = parse_message(raw), parse_message(raw)
    assert first.forwarded[0].synthetic_id
    assert first.forwarded[0].message_id == second.forwarded[0].message_id
    assert first.forwarded[0].message_id != first.message_id
    assert "part 2: no Message-ID; using " in first.problems[0]


def test_a_base64_encoded_forward_is_decoded():
    inner = (
        b"From: z@example.cn\r\nSubject: RK1038 inner\r\nMessage-ID: <in@x>\r\n\r\ninner body\r\n"
    )
    raw = (
        b"From: a@example.com\r\nMessage-ID: <out@x>\r\nDate: Thu, 4 Jan 2024 09:12:00 +0800\r\n"
        b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        b"outer\r\n--B\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(inner)
        + b"--B--\r\n"
    )
    mail = parse_message(raw)
    assert [(f.subject, f.message_id) for f in mail.forwarded] == [("RK1038 inner", "<in@x>")]
    assert mail.text.endswith("inner body")


def test_the_forwarded_sample():
    mail = parse_message((SAMPLES / "forwarded_as_attachment.eml").read_bytes())
    assert mail.subject == "转发: Drawing rev C"
    assert [(f.subject, str(f.sender)) for f in mail.forwarded] == [
        ("Drawing rev C for RK1038-1-S2", "Alice Becker <alice.becker@example.com>")
    ]
    assert [a.filename for a in mail.attachments] == ["SP1003 rev C.pdf"]
    assert mail.problems == []
