"""HTML-only mail becomes readable text; the HTML itself is kept, never rendered."""

from email.message import EmailMessage
from pathlib import Path

from tracecode.mail.parsing import html_to_text, parse_message

SAMPLES = Path(__file__).parent / "samples"


def html_mail(html: str, plain: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "alice@example.com"
    message["Message-ID"] = "<html@example.com>"
    message["Date"] = "Tue, 2 Jan 2024 09:14:02 +0100"
    if plain is None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(plain)
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def test_script_style_and_title_content_never_reaches_the_text():
    html = (
        "<html><head><title>Secret title</title><style>p {color: red}</style>"
        '<script>var token = "abc123";</script></head>'
        "<body><p>Visible</p><script>alert('x')</script></body></html>"
    )
    mail = parse_message(html_mail(html))
    assert mail.text == "Visible"


def test_links_are_kept_as_text_and_url():
    html = (
        '<p>See <a href="https://portal.example.com/d/SP1003">drawing SP1003</a>, '
        'write to <a href="mailto:li.na@example.cn?subject=RK1038">Li Na</a> or '
        '<a href="https://example.com">https://example.com</a>.</p>'
    )
    assert parse_message(html_mail(html)).text == (
        "See drawing SP1003 (https://portal.example.com/d/SP1003), "
        "write to Li Na (li.na@example.cn) or https://example.com."
    )


def test_script_links_and_anchors_show_only_their_text():
    html = '<a href="javascript:steal()">Click</a> <a href="#top">Top</a> <a href="cid:x">Logo</a>'
    assert html_to_text(html) == "Click Top Logo"


def test_paragraphs_lists_tables_and_breaks_become_lines():
    html = (
        "<div>Dear Zhang&nbsp;Wei,</div><p>please quote:</p>"
        "<ul><li>5,000 pcs</li><li>PA66 &amp; GF30</li></ul>"
        "<table><tr><td>Qty</td><td>5,000</td></tr><tr><td>Price</td><td>0.42</td></tr></table>"
        "Best regards<br>Alice"
    )
    assert html_to_text(html) == (
        "Dear Zhang Wei,\n\nplease quote:\n\n- 5,000 pcs\n- PA66 & GF30\n\n"
        "Qty\t5,000\nPrice\t0.42\nBest regards\nAlice"
    )


def test_an_unclosed_title_does_not_hide_the_body():
    assert html_to_text("<title>Quote<body><p>RK1038-1 quote</p>") == "RK1038-1 quote"


def test_the_raw_html_is_kept_beside_the_text():
    html = '<p onclick="evil()">Hello</p><script>evil()</script>'
    mail = parse_message(html_mail(html))
    assert mail.html.strip() == html
    assert mail.text == "Hello"


def test_plain_text_wins_when_the_mail_has_both():
    mail = parse_message(html_mail("<p>HTML version</p>", plain="Plain version"))
    assert mail.text == "Plain version"
    assert "HTML version" in mail.html


def test_an_empty_plain_part_falls_back_to_the_html():
    mail = parse_message(html_mail("<p>Only the HTML says RK1038-1-S1</p>", plain="\n"))
    assert mail.text == "Only the HTML says RK1038-1-S1"


def test_the_outlook_sample():
    mail = parse_message((SAMPLES / "outlook_html_only.eml").read_bytes())
    assert mail.subject == "RFQ RK1038-1 – SP1003 5,000 pcs"
    assert mail.text.startswith("Dear Zhang Wei,\n\nplease quote 5,000 pcs of SP1003 for project")
    assert "drawing SP1003 rev B (https://portal.example.com/drawings/SP1003)" in mail.text
    assert "tracking pixel" not in mail.text
    assert "MsoNormal" not in mail.text
    assert "Qty\t5,000\nTarget price\tEUR 0.42" in mail.text
    assert mail.text.endswith("Alice Becker\nalice.becker@example.com")
    assert [(a.filename, a.inline) for a in mail.attachments] == [("image001.png", True)]
    assert mail.problems == []
