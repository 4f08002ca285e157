"""A message keeps its key in every export of its chat: re-imports add only what is new."""

from tracecode.mail.parsing import message_keys, parse_whatsapp

FIRST = (
    "18/03/2022, 14:56 - Zhang Wei: RK1038-1-S1 shipped\n"
    "18/03/2022, 15:10 - Alice: ok\n"
    "18/03/2022, 15:10 - Zhang Wei: ok\n"
    "18/03/2022, 15:11 - Zhang Wei: <Media omitted>\n"
)


def keys(text):
    return message_keys(parse_whatsapp(text).messages)


def test_a_longer_export_keeps_the_keys_of_the_messages_already_there():
    longer = "17/03/2022, 09:00 - Alice: earlier\n" + FIRST + "19/03/2022, 08:00 - Alice: new\n"
    assert keys(longer)[1:-1] == keys(FIRST)


def test_two_identical_messages_in_one_minute_are_two_messages():
    first, second = keys(FIRST)[1:3]
    assert first != second


def test_another_phone_names_the_people_differently_and_says_the_seconds():
    other_phone = (
        "[18/03/2022, 14:56:31] +86 138 0013 8000: RK1038-1-S1 shipped\n"
        "[18/03/2022, 15:10:02] Alice Becker: ok\n"
        "[18/03/2022, 15:10:40] +86 138 0013 8000: ok\n"
        "[18/03/2022, 15:11:05] +86 138 0013 8000: \u200eimage omitted\n"
    )
    assert keys(other_phone) == keys(FIRST)


def test_an_export_with_media_names_the_file_and_keeps_the_caption():
    with_media = FIRST.replace("<Media omitted>", "IMG-20220318-WA0002.jpg (file attached)\nbox")
    assert keys(with_media) == keys(FIRST)


def test_an_edited_text_is_a_new_message():
    assert keys(FIRST.replace("shipped", "shipped today"))[0] != keys(FIRST)[0]
