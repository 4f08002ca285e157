"""System messages (no sender): encryption notice, joins, subject changes."""

from tracecode.mail.parsing import parse_whatsapp


def test_android_system_messages_have_no_sender():
    export = parse_whatsapp(
        "12/31/23, 9:05 PM - Messages and calls are end-to-end encrypted. No one outside of this "
        "chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n"
        "12/31/23, 9:06 PM - Carol joined using this group's invite link\n"
        '12/31/23, 9:07 PM - Alice changed the subject to "RK1038: samples"\n'
        "12/31/23, 9:08 PM - Alice: real message\n"
    )
    assert [m.sender for m in export.messages] == [None, None, None, "Alice"]
    assert export.messages[2].text == 'Alice changed the subject to "RK1038: samples"'


def test_iphone_events_filed_under_the_group_name_have_no_sender():
    export = parse_whatsapp(
        "[31/12/2023, 21:05:33] RK1038: \u200eMessages and calls are end-to-end encrypted.\n"
        "[31/12/2023, 21:05:34] RK1038: \u200eAlice added Bob\n"
        "[31/12/2023, 21:05:35] Alice: \u200eThis message was deleted.\n"
    )
    assert [(m.sender, m.text) for m in export.messages] == [
        (None, "Messages and calls are end-to-end encrypted."),
        (None, "Alice added Bob"),
        ("Alice", "This message was deleted."),
    ]


def test_chinese_system_message():
    export = parse_whatsapp("2023/12/31 21:05 - 张伟创建了群组“RK1038 样品”\n")
    assert export.messages[0].sender is None
