"""The watched folder, with real files in a real folder: filed under the code in their name,
moved to filed/ or to failed/ beside a reason, each recorded."""

import os
import time

import pytest
from django.core.management import CommandError, call_command

from tracecode.files.models import StoredFile
from tracecode.files.tests.factories import pdf
from tracecode.inbox import services
from tracecode.inbox.models import InboxFile
from tracecode.sales.tests.factories import make_customer, make_order, make_project

pytestmark = pytest.mark.django_db


def drop(folder, name, data=None):
    path = folder / name
    path.write_bytes(pdf(name) if data is None else data)
    return path


def test_a_pdf_named_with_an_order_code_is_filed_under_the_order(inbox, order, alice):
    drop(inbox, f"{order.code} inspection report.pdf")
    report = services.scan()

    stored = StoredFile.objects.get()
    assert (stored.code, stored.document_type) == (order.code, "QC report")
    assert stored.original_name == f"{order.code} inspection report.pdf"
    assert stored.uploaded_by == alice
    assert f"{order.code} inspection report.pdf" in stored.text  # searchable like an upload
    assert sorted(os.listdir(inbox)) == [services.LOCK, "filed"]
    assert os.listdir(inbox / "filed") == [f"{order.code} inspection report.pdf"]
    [item] = report.filed
    assert (item.outcome, item.code, item.stored_file) == ("filed", order.code, stored)
    assert item.moved_to == f"filed/{order.code} inspection report.pdf"
    assert report.lines()[-1] == "filed 1, already filed 0, failed 0, waiting 0"


def test_it_appears_in_the_orders_files_panel(inbox, order, alice, client_of):
    drop(inbox, f"{order.code} inspection report.pdf")
    services.scan()
    page = client_of(alice).get(order.get_absolute_url()).content.decode()
    assert f"{order.code} QC report " in page and "inspection report.pdf" in page


def test_full_width_and_lower_case_codes_in_a_name_are_read(inbox, order):
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in order.code)
    drop(inbox, f"{full_width} 出货检验报告.pdf", pdf("full width"))
    drop(inbox, f"{order.code.lower()} pl.pdf", pdf("lower case"))
    report = services.scan()
    assert [(i.code, i.document_type) for i in report.filed] == [
        (order.code, "PL"),
        (order.code, "QC report"),
    ]


@pytest.mark.parametrize(
    "name, document_type",
    [
        ("RK001-1-S1 PI signed.pdf", "PI"),
        ("RK001-1-S1_CI.pdf", "CI"),
        ("RK001-1-S1 packing list.pdf", "PL"),
        ("RK001-1-S1 装箱单.pdf", "PL"),
        ("RK001-1-S1 drawing rev C.pdf", "Drawing"),
        ("RK001-1-S1 图纸.pdf", "Drawing"),
        ("RK001-1-S1 QC.pdf", "QC report"),
        ("RK001-1-S1 出货检验报告.pdf", "QC report"),
        ("RK001-1-S1 B/L.pdf", "Shipping"),
        ("RK001-1-S1 photos.jpg", "Photo"),
        ("RK001-1-S1 bank slip 水单.pdf", "Payment"),
        ("RK001-1-S1 pipe.pdf", "Other"),  # "pi" only as a word of its own
        ("RK001-1-S1.pdf", "Other"),
    ],
)
def test_the_document_type_is_guessed_from_words_in_the_name(name, document_type):
    assert services.guess_type(name) == document_type


def failure(inbox, name):
    reason = (inbox / "failed" / f"{name}.reason.txt").read_text(encoding="utf-8")
    return (inbox / "failed" / name).exists(), reason


def test_a_name_without_a_code_goes_to_failed_with_the_reason_beside_it(inbox, order):
    drop(inbox, "scan0042.pdf")
    report = services.scan()
    moved, reason = failure(inbox, "scan0042.pdf")
    assert moved and reason.startswith("No code in the name")
    assert report.failed[0].problem == "no_code"
    assert StoredFile.objects.count() == 0


def test_an_unknown_code_and_a_code_the_inbox_user_may_not_see_fail_alike(inbox, bob):
    hidden = make_order(make_project(make_customer(bob), bob), user=bob)
    drop(inbox, f"{hidden.code} report.pdf")
    drop(inbox, "RK9999-1-S1 report.pdf")
    services.scan()
    assert failure(inbox, f"{hidden.code} report.pdf")[1] == f"{hidden.code} is not a known code.\n"
    assert failure(inbox, "RK9999-1-S1 report.pdf")[1] == "RK9999-1-S1 is not a known code.\n"
    assert StoredFile.objects.count() == 0


def test_two_codes_in_a_name_fail(inbox, order, alice):
    other = make_order(order.project, "mass", user=alice)
    drop(inbox, f"{order.code} vs {other.code}.pdf")
    report = services.scan()
    assert report.failed[0].problem == "two_codes"
    assert f"({order.code}, {other.code})" in failure(inbox, f"{order.code} vs {other.code}.pdf")[1]


def test_a_refused_file_fails_with_the_uploads_reason(inbox, order):
    drop(inbox, f"{order.code} invoice.pdf", b"MZ\x90\x00 a Windows program dressed as a PDF")
    drop(inbox, f"{order.code} empty.pdf", b"")
    report = services.scan()
    assert [i.problem for i in report.failed] == ["refused", "refused"]
    assert failure(inbox, f"{order.code} invoice.pdf")[1] == (
        f"“{order.code} invoice.pdf” is a program or script; those are not accepted.\n"
    )
    assert failure(inbox, f"{order.code} empty.pdf")[1] == f"“{order.code} empty.pdf” is empty.\n"
    assert StoredFile.objects.count() == 0


def test_the_same_content_twice_is_filed_once(inbox, order):
    report = drop(inbox, f"{order.code} inspection report.pdf").read_bytes()
    services.scan()
    drop(inbox, f"{order.code} inspection report.pdf", report)  # saved again
    drop(inbox, f"{order.code} FAI copy.pdf", report)  # and under another name
    again = services.scan()
    assert StoredFile.objects.count() == 1
    assert [i.outcome for i in again.duplicates] == ["duplicate", "duplicate"]
    assert again.duplicates[0].stored_file == StoredFile.objects.get()
    assert sorted(os.listdir(inbox / "filed")) == [
        f"{order.code} FAI copy.pdf",
        f"{order.code} inspection report (2).pdf",
        f"{order.code} inspection report.pdf",
    ]


def test_a_second_version_of_a_name_is_filed_as_v2(inbox, order):
    drop(inbox, f"{order.code} drawing.pdf", pdf("rev A"))
    services.scan()
    drop(inbox, f"{order.code} drawing.pdf", pdf("rev B"))
    services.scan()
    assert list(StoredFile.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_a_file_being_written_waits_for_the_quiet_period(inbox, order, settings):
    settings.INBOX_QUIET_SECONDS = 30
    path = drop(inbox, f"{order.code} inspection report.pdf")
    # A copy keeps the original's modification time; the change time still says "just now".
    old = time.time() - 3600
    os.utime(path, (old, old))
    report = services.scan()
    assert report.waiting == [path.name] and path.exists()
    assert InboxFile.objects.count() == 0
    assert services.scan(now=time.time() + 31).filed[0].name == path.name


def test_temporary_lock_and_system_files_are_left_alone(inbox, order):
    names = [
        f"~$RK-{order.code} offer.docx", f".~lock.{order.code} PL.xlsx#", f"{order.code}.tmp",
        f"{order.code} drawing.pdf.part", "Thumbs.db", "desktop.ini", ".DS_Store",
        f"{order.code} download.crdownload",
    ]  # fmt: skip
    for name in names:
        drop(inbox, name, b"x")
    (inbox / "scans").mkdir()
    drop(inbox / "scans", f"{order.code} in a subfolder.pdf")
    os.symlink("/etc/hostname", inbox / f"{order.code} link.pdf")
    report = services.scan()
    assert report.lines()[-1] == "filed 0, already filed 0, failed 0, waiting 0"
    assert all((inbox / name).exists() for name in names)
    assert InboxFile.objects.count() == 0


def test_a_scan_while_another_holds_the_folder_does_nothing(inbox, order):
    drop(inbox, f"{order.code} inspection report.pdf")
    with services._locked(inbox) as held:
        assert held
        report = services.scan()
    assert report.busy and report.lines() == ["another scan is running; nothing done"]
    assert (inbox / f"{order.code} inspection report.pdf").exists()
    assert services.scan().filed


def test_a_file_taken_away_during_the_scan_is_not_recorded(inbox, order, alice):
    assert services.take(inbox / f"{order.code} gone.pdf", alice) is None
    assert InboxFile.objects.count() == 0


def test_a_fixed_name_moved_back_from_failed_is_filed(inbox, order):
    drop(inbox, "inspection report.pdf")
    services.scan()
    (inbox / "failed" / "inspection report.pdf").rename(inbox / f"{order.code} report.pdf")
    assert services.scan().filed[0].code == order.code
    assert [i.outcome for i in InboxFile.objects.order_by("pk")] == ["failed", "filed"]


def test_the_scan_says_what_is_missing_to_run(inbox, settings):
    settings.INBOX_USER = "nobody"
    with pytest.raises(services.InboxError, match="names no active user: 'nobody'"):
        services.scan()
    settings.INBOX_USER = ""
    with pytest.raises(services.InboxError, match="TRACECODE_INBOX_USER"):
        services.scan()
    settings.INBOX_DIR = str(inbox / "not-mounted")
    with pytest.raises(services.InboxError, match="does not exist"):
        services.scan()
    settings.INBOX_DIR = ""
    with pytest.raises(services.InboxError, match="TRACECODE_INBOX_DIR"):
        services.scan()


def test_the_command_scans_for_cron(inbox, order, capsys, settings):
    drop(inbox, f"{order.code} inspection report.pdf")
    drop(inbox, "no code.pdf")
    call_command("inbox", "scan")
    out, err = capsys.readouterr()
    assert f"filed {order.code} inspection report.pdf under {order.code} as QC report" in out
    assert "failed no code.pdf: No code in the name" in out
    assert "1 file(s) moved to failed/" in err
    settings.INBOX_DIR = ""
    with pytest.raises(CommandError, match="TRACECODE_INBOX_DIR"):
        call_command("inbox", "scan")


def test_the_command_takes_another_folder_and_user(tmp_path, settings, order, alice):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.INBOX_QUIET_SECONDS = 0
    folder = tmp_path / "share"
    folder.mkdir()
    drop(folder, f"{order.code} PL.pdf")
    call_command("inbox", "scan", "--dir", str(folder), "--user", alice.username)
    assert StoredFile.objects.get().document_type == "PL"
