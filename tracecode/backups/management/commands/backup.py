"""`tracecode backup [--to DIR|s3://bucket/prefix] [--portable] [--verify]`,
`tracecode backup verify ARCHIVE` and `tracecode backup list`."""

from django.core.management.base import BaseCommand, CommandError

from tracecode.backups import services
from tracecode.backups.archive import BadArchive
from tracecode.backups.databases import RestoreError
from tracecode.backups.locations import Location
from tracecode.backups.models import Backup


class Printer:
    """Progress on stderr: each stage at most every twentieth of the way."""

    def __init__(self, write):
        self.write, self.shown = write, {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        step = max(1, total // 20)
        if total and (done == total or done // step != self.shown.get(stage, -1)):
            self.shown[stage] = done // step
            self.write(f"{stage}: {done}/{total}")


def size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size} bytes"


class Command(BaseCommand):
    requires_system_checks = []  # a restore must work when the rest does not
    help = "Back up the database and every stored file into one archive; verify or list archives."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", metavar="DIR|s3://BUCKET/PREFIX",
            help="where to keep the archive (default: TRACECODE_BACKUP_TO)",
        )  # fmt: skip
        parser.add_argument(
            "--portable", action="store_true",
            help="a database-neutral dump that restores into SQLite or PostgreSQL",
        )  # fmt: skip
        parser.add_argument(
            "--verify", action="store_true", help="then prove it restores (as `backup verify`)"
        )
        sub = parser.add_subparsers(dest="action", metavar="ACTION")
        verify = sub.add_parser("verify", help="restore an archive into scratch copies, compare")
        verify.add_argument("archive", metavar="ARCHIVE", help="a path or s3://bucket/key")
        listing = sub.add_parser("list", help="the archives kept in a location")
        listing.add_argument("--to", metavar="DIR|s3://BUCKET/PREFIX")

    def handle(self, *args, action=None, **options):
        try:
            if action == "verify":
                return self.verify(options["archive"])
            if action == "list":
                return self.list(options["to"])
            return self.backup(options["to"], options["portable"], options["verify"])
        except (BadArchive, RestoreError, services.BackupError, ValueError) as error:
            raise CommandError(str(error)) from None

    def backup(self, to, portable, verify):
        location = Location.parse(to)
        backup = services.start(location=location, portable_dump=portable)
        backup = services.run(backup, verify=verify, echo=Printer(self.stderr.write))
        if backup.status == backup.Status.FAILED:
            raise CommandError(f"backup failed: {backup.error}")
        self.stdout.write(
            f"{backup.archive}: {size_text(backup.size)}, {backup.rows} rows, {backup.files} files"
        )
        if verify:
            if backup.verification != backup.Verification.OK:
                raise CommandError(f"{backup.archive}: verification failed: {backup.verify_error}")
            for line in backup.warnings:
                self.stderr.write(f"warning: {line}")
            self.stdout.write(f"{backup.archive}: verified")

    def verify(self, archive):
        location, name = Location.of_archive(archive)
        known = Backup.objects.filter(location=str(location), name=name).first()
        if known:  # its row (and the Backups page) learns the outcome too
            known = services.verify_backup(known, echo=Printer(self.stderr.write))
            if known.verification != Backup.Verification.OK:
                raise CommandError(f"{archive}: {known.verify_error}")
            warnings, summary = known.warnings, "as the manifest says"
        else:
            with location.reading(name) as path:
                checked = services.check(path, progress=Printer(self.stderr.write))
            warnings, summary = checked.warnings, str(checked)
        for line in warnings:
            self.stderr.write(f"warning: {line}")
        self.stdout.write(f"{archive}: verified: {summary}")

    def list(self, to):
        location = Location.parse(to)
        for kept in location.archives():
            self.stdout.write(
                f"{kept.name}  {size_text(kept.size)}  {kept.modified:%Y-%m-%d %H:%M}"
            )
