"""Chinese-locale exports: year-first dates, 上午/下午, full-width colons."""

from datetime import datetime
from pathlib import Path

from tracecode.mail.parsing import parse_whatsapp

SAMPLES = Path(__file__).parent / "samples"


def test_android_chinese_export():
    export = parse_whatsapp("2023/12/31 21:05 - 张伟: 好的\n2023/12/31 下午9:06 - 李娜: 收到\n")
    assert export.date_order == "YMD"
    assert [(m.timestamp, m.sender, m.text) for m in export.messages] == [
        (datetime(2023, 12, 31, 21, 5), "张伟", "好的"),
        (datetime(2023, 12, 31, 21, 6), "李娜", "收到"),
    ]


def test_iphone_chinese_export_with_full_width_colon():
    export = parse_whatsapp(
        "[2023/12/31 下午9:05:33] 张伟：好的\n[2024/1/1 上午12:15:40] 李娜：新年快乐"
    )
    assert export.format == "iphone"
    assert [(m.timestamp, m.sender, m.text) for m in export.messages] == [
        (datetime(2023, 12, 31, 21, 5, 33), "张伟", "好的"),
        (datetime(2024, 1, 1, 0, 15, 40), "李娜", "新年快乐"),
    ]


def test_the_chinese_samples():
    android = parse_whatsapp((SAMPLES / "whatsapp_android_zh.txt").read_text("utf-8"))
    assert android.messages[0].sender is None
    assert android.messages[0].text.startswith("消息和通话已进行端到端加密。")
    assert android.messages[2].text == "好的，谢谢\n收到后我告诉客户"
    assert android.messages[3].timestamp == datetime(2024, 1, 2, 9, 30)
    iphone = parse_whatsapp((SAMPLES / "whatsapp_iphone_zh.txt").read_text("utf-8"))
    assert [m.sender for m in iphone.messages] == ["张伟", "李娜", "张伟"]
    assert iphone.messages[0].text == "RK1038-1-M1 的 PI 已发邮件"
