"""Media placeholders are linked to the export's files when those files are present."""

import pytest

from tracecode.mail.parsing import parse_whatsapp

MEDIA = {"IMG-20231231-WA0001.jpg", "00000012-PHOTO-2023-12-31-21-05-33.jpg", "PI RK1038-1-M1.pdf"}


@pytest.mark.parametrize(
    "line",
    [
        "31/12/2023, 21:05 - Alice: IMG-20231231-WA0001.jpg (file attached)",
        "31/12/2023, 21:05 - Alice: <附件：IMG-20231231-WA0001.jpg>",
        "2023/12/31 21:05 - 张伟: IMG-20231231-WA0001.jpg (文件附件)",
        "[31/12/2023, 21:05:33] Alice: \u200e<attached: IMG-20231231-WA0001.jpg>",
    ],
)
def test_each_placeholder_style_links_the_file(line):
    (message,) = parse_whatsapp(line, MEDIA).messages
    assert message.media == ["IMG-20231231-WA0001.jpg"]


def test_documents_with_spaces_and_captions():
    export = parse_whatsapp(
        "31/12/2023, 21:05 - Alice: PI RK1038-1-M1.pdf (file attached)\nPlease sign\n", MEDIA
    )
    assert export.messages[0].media == ["PI RK1038-1-M1.pdf"]
    assert export.messages[0].text == "PI RK1038-1-M1.pdf (file attached)\nPlease sign"


def test_omitted_media_links_nothing():
    export = parse_whatsapp(
        "31/12/2023, 21:05 - Alice: <Media omitted>\n[x]\n31/12/2023, 21:06 - Bob: image omitted\n",
        MEDIA,
    )
    assert [m.media for m in export.messages] == [[], []]
    assert export.problems == []


def test_a_file_missing_from_the_export_is_reported_only_when_media_came_with_it():
    line = "31/12/2023, 21:05 - Alice: IMG-20240101-WA0009.jpg (file attached)"
    assert parse_whatsapp(line, MEDIA).problems == [
        "line 1: IMG-20240101-WA0009.jpg is not in the export"
    ]
    assert parse_whatsapp(line).problems == []
    assert parse_whatsapp(line).messages[0].media == []
