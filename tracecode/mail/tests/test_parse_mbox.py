"""Mbox files are streamed message by message; one bad message never stops the others."""

import mailbox
import tracemalloc
from email.message import EmailMessage
from pathlib import Path

from tracecode.mail.parsing import iter_eml_paths, iter_mbox, parse_message

SAMPLES = Path(__file__).parent / "samples"


def write_mbox(path: Path, count: int, body: str = "RK1038-1-S1 update") -> Path:
    box = mailbox.mbox(path)
    for number in range(count):
        message = EmailMessage()
        message["From"] = f"sender{number}@example.com"
        message["Subject"] = f"RK1038-1-S{number + 1} message {number}"
        message["Message-ID"] = f"<{number}@example.com>"
        message.set_content(f"{body}\nFrom the factory: line starting with From\n")
        box.add(message)
    box.close()
    return path


def test_every_message_comes_out_where_the_standard_library_finds_it(tmp_path):
    path = write_mbox(tmp_path / "inbox.mbox", 25)
    items = list(iter_mbox(path))
    box = mailbox.mbox(path)
    assert [item.index for item in items] == list(range(25))
    data = path.read_bytes()
    assert all(data[item.offset :].startswith(b"From ") for item in items)
    # The same bytes, with the ">From " quoting of body lines undone.
    unquoted = [box.get_bytes(key).replace(b"\n>From ", b"\nFrom ") for key in box.iterkeys()]
    assert [item.raw for item in items] == unquoted
    assert all(item.error is None for item in items)
    assert parse_message(items[3].raw).subject == "RK1038-1-S4 message 3"


def test_a_truncated_mbox_still_gives_every_message(tmp_path):
    items = list(iter_mbox(SAMPLES / "truncated.mbox"))
    assert [item.error for item in items] == [
        None,
        None,
        "the file ends in the middle of a line: this message is cut off",
    ]
    last = parse_message(items[2].raw)
    assert last.subject == "RK1038-1-M1 packing list"
    assert last.text == "Packing list attached."
    assert [a.filename for a in last.attachments] == ["PL RK1038-1-M1.pdf"]
    assert parse_message(items[1].raw).subject == "RK1038-1-M1 order"


def test_mboxrd_quoting_of_from_lines_is_undone():
    first = next(iter_mbox(SAMPLES / "truncated.mbox"))
    assert b"\nFrom the QC report: all good.\n" in first.raw


def test_a_message_over_the_size_limit_is_skipped_and_the_rest_continue(tmp_path):
    path = write_mbox(tmp_path / "big.mbox", 3)
    box = mailbox.mbox(path)
    big = EmailMessage()
    big.set_content("x" * 5000)
    box.add(big)
    box.add(EmailMessage())
    box.close()
    items = list(iter_mbox(path, max_message_size=3000))
    assert len(items) == 5
    assert items[3].raw == b""
    assert items[3].error.startswith("message of ")
    assert items[3].error.endswith("is over the limit of 3000 bytes; skipped")
    assert [item.error for item in items[:3]] == [None, None, None]
    assert items[4].error == "empty message"


def test_an_empty_message_and_text_before_the_first_from_line_are_reported(tmp_path):
    path = tmp_path / "odd.mbox"
    path.write_bytes(
        b"\nstray text\n\nFrom a@example.com Mon Jan  8 10:00:00 2024\n"
        b"From b@example.com Mon Jan  8 10:01:00 2024\nSubject: real\n\nbody\n"
    )
    items = list(iter_mbox(path))
    assert [(item.index, item.offset, item.error) for item in items] == [
        (0, 1, "not an mbox message: no 'From ' line before it"),
        (1, 13, "empty message"),
        (2, 57, None),
    ]
    assert items[2].raw == b"Subject: real\n\nbody\n"


def test_crlf_mbox_files_are_split_the_same_way(tmp_path):
    path = tmp_path / "windows.mbox"
    path.write_bytes(
        b"From a Mon Jan  8 10:00:00 2024\r\nSubject: one\r\n\r\nbody 1\r\n\r\n"
        b"From b Mon Jan  8 10:01:00 2024\r\nSubject: two\r\n\r\nbody 2\r\n"
    )
    assert [parse_message(item.raw).subject for item in iter_mbox(path)] == ["one", "two"]
    assert next(iter_mbox(path)).raw == b"Subject: one\r\n\r\nbody 1\r\n"


def test_memory_stays_flat_on_a_big_mbox(tmp_path):
    path = tmp_path / "big.mbox"
    message = b"From a Mon Jan  8 10:00:00 2024\nSubject: RK1038\n\n" + b"RK1038 " * 60_000 + b"\n"
    path.write_bytes(message * 40)  # 40 messages of 420 KB
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_mbox(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 40
    assert path.stat().st_size > 16_000_000
    assert peak < 2_000_000  # about two messages, not the 16 MB file


def test_eml_files_and_folders_are_read_one_by_one(tmp_path):
    folder = tmp_path / "export"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.eml").write_bytes(b"Subject: b\n\nbody")
    (folder / "sub" / "a.EML").write_bytes(b"Subject: a\n\nbody")
    (folder / "notes.txt").write_bytes(b"not a mail")
    (tmp_path / "empty.eml").write_bytes(b"")
    items = list(iter_eml_paths([folder, tmp_path / "empty.eml", tmp_path / "missing.eml"]))
    assert [(item.path.name, item.error) for item in items] == [
        ("b.eml", None),
        ("a.EML", None),
        ("empty.eml", "empty file"),
        ("missing.eml", "cannot be read: No such file or directory"),
    ]
    assert items[0].raw == b"Subject: b\n\nbody"


def test_an_eml_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "big.eml"
    path.write_bytes(b"Subject: big\n\n" + b"x" * 2000)
    (item,) = iter_eml_paths([path], max_message_size=1000)
    assert item.raw == b""
    assert item.error == "file of 2014 bytes is over the limit of 1000 bytes; skipped"
