"""`tracecode backup`, `backup verify` and `backup list` as an operator runs them."""

import io

import pytest
from django.core.management import CommandError, call_command

from tracecode.backups.management.commands.backup import size_text
from tracecode.backups.models import Backup
from tracecode.sales.tests.factories import make_customer

from .helpers import store

pytestmark = pytest.mark.django_db(transaction=True)


def run(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_backup_verify_and_list(alice, tmp_path):
    make_customer(alice)
    store("RK001 Nordwerk/NDA/RK001 NDA.pdf", b"%PDF-1.7 nda")
    usb = tmp_path / "usb"
    out, err = run("backup", "--to", str(usb), "--verify")
    backup = Backup.objects.get()
    assert out.splitlines() == [
        f"{usb}/{backup.name}: {size_text(backup.size)}, {backup.rows} rows, 1 files",
        f"{usb}/{backup.name}: verified",
    ]
    assert "files: 1/1" in err
    assert backup.verification == Backup.Verification.OK and backup.location == str(usb)

    Backup.objects.update(verification=Backup.Verification.NONE)
    out, _ = run("backup", "verify", str(usb / backup.name))
    assert out.strip() == f"{usb}/{backup.name}: verified: as the manifest says"
    backup.refresh_from_db()
    assert backup.verification == Backup.Verification.OK

    out, _ = run("backup", "list", "--to", str(usb))
    assert out.startswith(backup.name)


def test_a_backups_folder_inside_the_file_store_is_refused(settings):
    with pytest.raises(CommandError) as refusal:
        run("backup", "--to", str(settings.MEDIA_ROOT / "backups"))
    assert "is inside the file store" in str(refusal.value)


def test_verifying_a_missing_archive_says_so(tmp_path):
    with pytest.raises(CommandError) as refusal:
        run("backup", "verify", str(tmp_path / "tracecode-nothing.tar"))
    assert "tracecode-nothing.tar: no such archive" in str(refusal.value)
