"""The watched folder: a file saved there whose name holds a code is filed under that code.

    inbox/RK888-1-S1 inspection report.pdf   → the order's Files panel (QC report); moved to
    inbox/filed/RK888-1-S1 inspection report.pdf
    inbox/scan0042.pdf                       → inbox/failed/scan0042.pdf and, beside it,
                                               scan0042.pdf.reason.txt: "No code in the name …"

Network shares send no change events, so the folder is polled (tasks.py, or cron with
`tracecode inbox scan`). A file is taken once its modification and change times are older
than the quiet period: a copy may keep the original's modification time, but every write
moves the change time, which no client can set. Temporary and lock files of Office,
LibreOffice and browsers are left alone; so are folders, hidden files and links. One scan
runs at a time (a lock file in the folder); every file taken is recorded as an InboxFile.
"""

import contextlib
import fcntl
import fnmatch
import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from tracecode.codes import registry
from tracecode.codes.services import schemes
from tracecode.files import services as files
from tracecode.files.models import StoredFile

from .models import InboxFile

log = logging.getLogger(__name__)

FILED, FAILED = "filed", "failed"  # the folders beside the inbox's files
LOCK = ".tracecode-inbox.lock"
# Left alone: Office's owner files, LibreOffice's locks, partial downloads and copies, the
# thumbnails and folder settings Windows and macOS write into shared folders.
IGNORED = (
    "~$*", ".~lock*", "*.tmp", "*.temp", "*.part", "*.partial", "*.crdownload", "*.download",
    "*.swp", "*~", "Thumbs.db", "desktop.ini", ".DS_Store", "._*", "*.reason.txt",
)  # fmt: skip

# Words in a name that say what a file is: the first type with a word in the name wins.
# Latin words match whole (`pi` in "RK888 PI.pdf", not in "pipe"); Chinese ones anywhere.
TYPE_WORDS = [
    ("PI", ["pi", "proforma"], ["形式发票"]),
    ("CI", ["ci", "commercial invoice", "invoice"], ["商业发票", "发票"]),
    ("PL", ["pl", "packing list", "packing"], ["装箱单", "箱单"]),
    ("QC report", ["qc", "iqc", "oqc", "fai", "inspection", "cmm", "ppap", "coc"],
     ["检验", "质检", "检测", "出货报告"]),
    ("Drawing", ["drawing", "drawings", "dwg", "dxf", "step", "stp"], ["图纸", "图档"]),
    ("Specification", ["spec", "specs", "specification", "datasheet"], ["规格", "技术要求"]),
    ("Purchase order", ["po", "purchase order"], ["采购订单", "采购单"]),
    ("Contract", ["contract", "agreement"], ["合同", "协议"]),
    ("NDA", ["nda", "confidentiality"], ["保密协议"]),
    ("Shipping", ["bl", "b/l", "awb", "waybill", "shipping", "booking"], ["提单", "运单", "订舱"]),
    ("Payment", ["payment", "remittance", "swift", "receipt"], ["付款", "水单", "汇款"]),
    ("Complaint", ["complaint", "8d", "ncr"], ["投诉", "客诉"]),
    ("Photo", ["photo", "photos", "picture", "img"], ["照片", "图片"]),
]  # fmt: skip
OTHER = "Other"


class InboxError(Exception):
    """The watched folder cannot be scanned; the message says why (a setting, the folder)."""


@dataclass
class Report:
    """What one scan did, file by file."""

    filed: list[InboxFile] = field(default_factory=list)
    duplicates: list[InboxFile] = field(default_factory=list)
    failed: list[InboxFile] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written
    busy: bool = False  # another scan held the folder

    def add(self, item: InboxFile) -> None:
        {
            InboxFile.Outcome.FILED: self.filed,
            InboxFile.Outcome.DUPLICATE: self.duplicates,
            InboxFile.Outcome.FAILED: self.failed,
        }[item.outcome].append(item)

    def lines(self) -> list[str]:
        if self.busy:
            return ["another scan is running; nothing done"]
        lines = [f"filed {i.name} under {i.code} as {i.document_type}" for i in self.filed]
        lines += [f"already filed {i.name} under {i.code}" for i in self.duplicates]
        lines += [f"failed {i.name}: {i.reason}" for i in self.failed]
        lines += [f"waiting {name} (still being written)" for name in self.waiting]
        lines.append(
            f"filed {len(self.filed)}, already filed {len(self.duplicates)}, "
            f"failed {len(self.failed)}, waiting {len(self.waiting)}"
        )
        return lines


def inbox_folder(path=None) -> Path:
    """The watched folder (TRACECODE_INBOX_DIR), which must exist."""
    path = path or settings.INBOX_DIR
    if not path:
        raise InboxError("no watched folder: set TRACECODE_INBOX_DIR")
    folder = Path(path)
    if not folder.is_dir():
        raise InboxError(f"the watched folder {folder} does not exist (TRACECODE_INBOX_DIR)")
    return folder


def inbox_user(username=None):
    """The user files are filed as (TRACECODE_INBOX_USER): their rights decide what is found."""
    username = username or settings.INBOX_USER
    if not username:
        raise InboxError("no user to file as: set TRACECODE_INBOX_USER to a user name")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InboxError(f"TRACECODE_INBOX_USER names no active user: {username!r}")
    return user


def ignored(name: str) -> bool:
    """A temporary, lock or system file, or a hidden one: never taken."""
    lower = name.lower()
    return name.startswith(".") or any(fnmatch.fnmatch(lower, p.lower()) for p in IGNORED)


def codes_in(name: str) -> list[str]:
    """The distinct codes in a file name (full width folded; lower case read when nothing else)."""
    stem = registry.normalise(os.path.splitext(name)[0])
    found = schemes().find(stem) or schemes().find(stem.upper())
    return list(dict.fromkeys(hit.code for hit in found))


def guess_type(name: str) -> str:
    """The document type that words in the name say, else "Other"."""
    text = registry.normalise(os.path.splitext(name)[0]).lower()
    words = " ".join(re.findall(r"[a-z0-9/]+", text))
    for document_type, latin, chinese in TYPE_WORDS:
        if any(re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", words) for w in latin):
            return document_type
        if any(word in text for word in chinese):
            return document_type
    return OTHER


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem (2).ext` when a file there already has that name."""
    stem, ext = os.path.splitext(name)
    candidate, number = folder / name, 1
    while candidate.exists() or Path(f"{candidate}.reason.txt").exists():
        number += 1
        candidate = folder / f"{stem} ({number}){ext}"
    return candidate


def move(path: Path, into: str) -> str:
    """Move a file into `filed/` or `failed/` beside it; the place it went, relative."""
    folder = path.parent / into
    folder.mkdir(exist_ok=True)
    target = free_name(folder, path.name)
    os.rename(path, target)
    return f"{into}/{target.name}"


class Refused(Exception):
    def __init__(self, problem: str, reason: str):
        super().__init__(reason)
        self.problem, self.reason = problem, reason


def _record_for(name: str, user):
    """The record the one code in `name` names, if `user` may file under it; else Refused."""
    codes = codes_in(name)
    if not codes:
        raise Refused(
            InboxFile.Problem.NO_CODE,
            _("No code in the name: rename it with the code it belongs to, e.g. “%(example)s”.")
            % {"example": f"RK1038-1-S1 {name}"},
        )
    if len(codes) > 1:
        raise Refused(
            InboxFile.Problem.TWO_CODES,
            _("The name holds more than one code (%(codes)s): leave only the one to file under.")
            % {"codes": ", ".join(codes)},
        )
    try:
        return files.record_for(user, codes[0], edit=True)
    except Http404:  # unknown and hidden alike
        raise Refused(
            InboxFile.Problem.UNKNOWN_CODE,
            _("%(code)s is not a known code.") % {"code": codes[0]},
        ) from None
    except PermissionDenied:
        raise Refused(
            InboxFile.Problem.NOT_ALLOWED,
            _("%(user)s may not file under %(code)s.") % {"user": user, "code": codes[0]},
        ) from None


def take(path: Path, user) -> InboxFile | None:
    """File one file of the inbox, record what happened, then move it to filed/ or failed/.

    Filed first, moved after: a scan stopped in between finds the file again and, its content
    being filed already, only moves it.
    """
    item = InboxFile(name=path.name, filed_as=user)
    try:
        item.size = path.stat().st_size
        record = _record_for(path.name, user)
        item.code = record.code
        item.sha256 = sha256_of(path)
        item.stored_file = StoredFile.objects.filter(code=record.code, sha256=item.sha256).first()
        if item.stored_file is not None:  # the same content twice is filed once
            item.outcome = InboxFile.Outcome.DUPLICATE
            item.document_type = item.stored_file.document_type
            item.reason = _("The same content is already filed as %(name)s.") % {
                "name": item.stored_file.stored_name
            }
        else:
            item.document_type = guess_type(path.name)
            item.stored_file = _store(path, record, item.document_type, user)
            item.outcome = InboxFile.Outcome.FILED
    except Refused as refusal:
        item.outcome = InboxFile.Outcome.FAILED
        item.problem, item.reason = refusal.problem, refusal.reason
    except Exception as error:  # a file that cannot be read, a storage that fails …
        if isinstance(error, FileNotFoundError) and not path.exists():
            return None  # taken away meanwhile, by a person: nothing to record
        log.exception("inbox: %s could not be filed", path.name)
        item.outcome, item.problem = InboxFile.Outcome.FAILED, InboxFile.Problem.ERROR
        item.reason = _("It could not be filed: %(error)s") % {
            "error": str(error) or type(error).__name__
        }
    item.save()
    return _move(path, item)


def _store(path: Path, record, document_type: str, user) -> StoredFile:
    with open(path, "rb") as handle:
        try:
            return files.store(
                record,
                File(handle, name=path.name),
                user=user,
                document_type=document_type,
                description=_("from the watched folder"),
            )
        except ValidationError as error:
            raise Refused(InboxFile.Problem.REFUSED, " ".join(error.messages)) from None


def _move(path: Path, item: InboxFile) -> InboxFile:
    """Move the file where its outcome says and write the reason of a failure beside it."""
    failed = item.outcome == InboxFile.Outcome.FAILED
    try:
        item.moved_to = move(path, FAILED if failed else FILED)
    except OSError as error:  # left where it is: the next scan meets it again
        log.error("inbox: %s could not be moved: %s", path.name, error)
        item.reason = " ".join(
            [item.reason, _("It could not be moved: %(error)s") % {"error": error}]
        ).strip()
    else:
        if failed:
            reason = path.parent / f"{item.moved_to}.reason.txt"
            reason.write_text(item.reason + "\n", encoding="utf-8")
    item.save(update_fields=["moved_to", "reason"])
    return item


def still(path: Path, now: float, quiet: float) -> bool:
    """Whether nobody has written to the file for the quiet period."""
    info = path.stat()
    return now - max(info.st_mtime, info.st_ctime) >= quiet


def candidates(folder: Path) -> list[Path]:
    """The files a scan looks at: plain files of the folder itself, by name."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and not ignored(entry.name):
                found.append(Path(entry.path))
    return sorted(found, key=lambda p: p.name)


def scan(folder=None, username=None, *, now: float | None = None, quiet=None) -> Report:
    """File every file of the watched folder that is ready; see the module's docstring."""
    folder, user = inbox_folder(folder), inbox_user(username)
    quiet = settings.INBOX_QUIET_SECONDS if quiet is None else quiet
    report = Report()
    with _locked(folder) as held, translation.override(settings.LANGUAGE_CODE):
        if not held:
            report.busy = True
            return report
        for path in candidates(folder):
            try:
                ready = still(path, time.time() if now is None else now, quiet)
            except FileNotFoundError:  # taken away since the folder was listed
                continue
            if not ready:
                report.waiting.append(path.name)
            elif item := take(path, user):
                report.add(item)
    return report


@contextlib.contextmanager
def _locked(folder: Path):
    """A lock on the folder's lock file, not waited for: yields whether this scan holds it."""
    with open(folder / LOCK, "a") as handle:  # closing it releases the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
