"""A file's SHA-256 is remembered between backups; a file that rots in place is caught."""

import os

import pytest
from django.core.files.storage import default_storage

from tracecode.backups import filestore
from tracecode.backups.models import Backup

from .helpers import store, take

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unchanged_file_keeps_its_hash_and_a_new_one_is_read(settings):
    store("RK001 Nordwerk/NDA/RK001 NDA.pdf", b"%PDF-1.7 nda")
    take()
    known = filestore.KnownHashes(default_storage)
    [(name, (size, _, sha))] = known.known.items()
    assert (name, size) == ("RK001 Nordwerk/NDA/RK001 NDA.pdf", 12)
    store("RK001 Nordwerk/Drawing/RK001 Drawing.pdf", b"%PDF-1.7 drawing")
    take()
    assert set(filestore.KnownHashes(default_storage).known) == {
        "RK001 Nordwerk/NDA/RK001 NDA.pdf",
        "RK001 Nordwerk/Drawing/RK001 Drawing.pdf",
    }


def test_a_file_that_rots_in_place_fails_the_verification(settings):
    name = store("RK001 Nordwerk/NDA/RK001 NDA.pdf", b"%PDF-1.7 nda")
    take(verify=True)
    path = settings.MEDIA_ROOT / name
    stat = path.stat()
    with open(path, "r+b") as f:  # a bit flips on a failing disk: same size, time and inode
        f.write(b"%PDF-1.6")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    backup = take(verify=True)
    assert backup.verification == Backup.Verification.FAILED
    assert f"files/{name} is damaged: its SHA-256 is" in backup.verify_error
