"""A file that is not a WhatsApp export is refused, naming the line."""

import pytest

from tracecode.mail.parsing import ChatFormatError, parse_whatsapp


def test_the_first_unreadable_line_is_named():
    with pytest.raises(ChatFormatError) as refused:
        parse_whatsapp("\n\nMeeting notes RK1038\n31/12/2023, 21:05 - Alice: hi\n")
    assert (refused.value.line, refused.value.text) == (3, "Meeting notes RK1038")
    assert str(refused.value) == "line 3: not a WhatsApp chat line: 'Meeting notes RK1038'"


@pytest.mark.parametrize(
    "first_line",
    [
        "2023年12月31日 21:05 张伟: 好的",  # a chat app we do not know
        "Sun, 31 Dec 2023 21:05:33 +0800 Alice: hi",
        "From alice@example.com Sun Dec 31 21:05:33 2023",
    ],
)
def test_other_formats_are_refused(first_line):
    with pytest.raises(ChatFormatError) as refused:
        parse_whatsapp(first_line + "\n")
    assert refused.value.line == 1


def test_an_empty_file_is_refused():
    with pytest.raises(ChatFormatError, match="no chat messages"):
        parse_whatsapp("\n \n")


def test_an_impossible_first_date_is_refused():
    with pytest.raises(ChatFormatError, match="impossible date"):
        parse_whatsapp("31/02/2023, 21:05 - Alice: hi\n")
