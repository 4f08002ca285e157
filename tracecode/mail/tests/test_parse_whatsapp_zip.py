"""Export archives: the chat and its media, with zip bombs and escaping names refused."""

import io
import struct
import zipfile

import pytest

from tracecode.mail.parsing import (
    ChatArchiveError,
    ChatFormatError,
    WhatsAppArchive,
    ZipBombError,
    read_whatsapp_zip,
)

CHAT = (
    "[31/12/2023, 21:05:33] Alice: \u200e<attached: 00000012-PHOTO-2023-12-31-21-05-33.jpg>\n"
    "[31/12/2023, 21:06:00] Zhang Wei: \u200e<attached: 00000013-PI RK1038-1-M1.pdf>\n"
)
JPEG = b"\xff\xd8\xff\xe0 synthetic jpeg"


def archive(files: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as export:
        for name, data in files.items():
            export.writestr(name, data)
    return buffer.getvalue()


def test_the_chat_and_its_media_come_out_linked():
    export, media = read_whatsapp_zip(
        archive(
            {
                "_chat.txt": "\ufeff" + CHAT,
                "00000012-PHOTO-2023-12-31-21-05-33.jpg": JPEG,
                "00000013-PI RK1038-1-M1.pdf": b"%PDF",
            }
        )
    )
    assert media == {
        "00000012-PHOTO-2023-12-31-21-05-33.jpg": JPEG,
        "00000013-PI RK1038-1-M1.pdf": b"%PDF",
    }
    assert [m.media for m in export.messages] == [
        ["00000012-PHOTO-2023-12-31-21-05-33.jpg"],
        ["00000013-PI RK1038-1-M1.pdf"],
    ]
    assert export.problems == []


def test_the_android_chat_file_is_found_beside_a_shared_text_document():
    chat = "31/12/2023, 21:05 - Alice: notes.txt (file attached)\n"
    export, media = read_whatsapp_zip(
        archive({"notes.txt": "meeting notes", "WhatsApp Chat with Alice.txt": chat})
    )
    assert export.format == "android"
    assert media == {"notes.txt": b"meeting notes"}
    assert export.messages[0].media == ["notes.txt"]


@pytest.mark.parametrize(
    "name", ["../evil.sh", "media/../../evil.sh", "/etc/cron.d/evil", "C:/evil.bat"]
)
def test_a_name_that_leaves_the_folder_is_refused(name):
    with pytest.raises(ChatArchiveError, match="unsafe file name"):
        read_whatsapp_zip(archive({"_chat.txt": CHAT, name: b"#!/bin/sh"}))


def test_a_zip_bomb_is_refused_by_its_declared_size():
    data = archive({"_chat.txt": CHAT, "bomb.bin": b"\0" * 5_000_000})
    assert len(data) < 20_000
    with pytest.raises(ChatArchiveError, match="at most 1000000 are accepted"):
        read_whatsapp_zip(data, max_total_size=1_000_000)


def test_a_zip_whose_sizes_lie_never_unpacks_more_than_it_declared():
    chat = "[31/12/2023, 21:05:33] Alice: hi"
    data = bytearray(archive({"_chat.txt": chat, "bomb.bin": b"\0" * 5_000_000}))
    central = data.rfind(b"PK\x01\x02")  # the last central directory entry: bomb.bin
    local = data.find(b"PK\x03\x04", 1)
    struct.pack_into("<I", data, central + 24, 1000)
    struct.pack_into("<I", data, local + 22, 1000)
    export, media = read_whatsapp_zip(bytes(data), max_total_size=1_000_000)
    assert media == {}
    (problem,) = export.problems
    assert problem.startswith("bomb.bin: cannot be unpacked: ")


def test_a_member_packed_a_thousand_times_tighter_is_a_bomb_refused_before_unpacking():
    with pytest.raises(ZipBombError) as refused:
        WhatsAppArchive(archive({"_chat.txt": CHAT, "bomb.jpg": b"\0" * 20_000_000}))
    assert (refused.value.name, refused.value.size) == ("bomb.jpg", 20_000_000)
    assert refused.value.packed < 30_000


def test_members_packed_with_bzip2_or_lzma_are_refused():
    with pytest.raises(ChatArchiveError, match="packed with an unsupported method"):
        WhatsAppArchive(archive({"_chat.txt": CHAT}, zipfile.ZIP_BZIP2))


def test_media_are_streamed_and_a_file_over_the_member_limit_is_left_out():
    data = archive(
        {"_chat.txt": CHAT, "00000012-PHOTO-2023-12-31-21-05-33.jpg": JPEG, "big.pdf": b"%" * 999}
    )
    with WhatsAppArchive(data, max_member_size=998) as export:
        assert list(export.media) == ["00000012-PHOTO-2023-12-31-21-05-33.jpg"]
        assert export.media["00000012-PHOTO-2023-12-31-21-05-33.jpg"].head == JPEG
        with export.open("00000012-PHOTO-2023-12-31-21-05-33.jpg") as stream:
            assert stream.read(4) == JPEG[:4]
        assert export.export.problems[-1] == "big.pdf: 999 bytes; at most 998 are accepted"


def test_too_many_files_are_refused():
    with pytest.raises(ChatArchiveError, match="at most 2 are accepted"):
        read_whatsapp_zip(archive({"_chat.txt": CHAT, "a.jpg": b"", "b.jpg": b""}), max_files=2)


class GbkName(zipfile.ZipInfo):
    """How zip tools on Chinese Windows write names: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def test_names_written_in_gbk_without_the_utf8_flag_are_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as export:
        export.writestr("_chat.txt", "2023/12/31 21:05 - 张伟: 报价单.pdf (文件附件)\n")
        export.writestr(GbkName("报价单.pdf"), b"%PDF")
    export, media = read_whatsapp_zip(buffer.getvalue())
    assert media == {"报价单.pdf": b"%PDF"}
    assert export.messages[0].media == ["报价单.pdf"]


def test_not_a_zip_and_a_zip_without_chat_are_refused():
    with pytest.raises(ChatArchiveError, match="not a zip file"):
        read_whatsapp_zip(b"31/12/2023, 21:05 - Alice: hi")
    with pytest.raises(ChatArchiveError, match="not a zip file"):
        read_whatsapp_zip(archive({"_chat.txt": CHAT})[:-30])  # cut off in its directory
    with pytest.raises(ChatArchiveError, match="no chat .txt file"):
        read_whatsapp_zip(archive({"photo.jpg": JPEG}))


def test_a_zip_whose_text_is_not_a_chat_raises_the_format_error():
    with pytest.raises(ChatFormatError) as refused:
        read_whatsapp_zip(archive({"_chat.txt": "Shopping list\nmilk\n"}))
    assert refused.value.line == 1


def test_a_chat_saved_in_gbk_is_read_and_reported():
    export, _ = read_whatsapp_zip(
        archive({"_chat.txt": "[2023/12/31 21:05:33] 张伟：好的".encode("gbk")})
    )
    assert export.messages[0].text == "好的"
    assert export.problems == ["_chat.txt: not utf-8 as declared; read as gb18030"]


def test_an_open_file_can_be_read_instead_of_bytes():
    data = archive({"_chat.txt": "[31/12/2023, 21:05:33] Alice: hi"})
    export, media = read_whatsapp_zip(io.BytesIO(data))
    assert (export.messages[0].text, media) == ("hi", {})
