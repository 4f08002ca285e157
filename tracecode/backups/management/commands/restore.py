"""`tracecode restore ARCHIVE [--replace]`."""

from django.core.management.base import BaseCommand, CommandError

from tracecode.backups import services
from tracecode.backups.archive import BadArchive
from tracecode.backups.databases import RestoreError
from tracecode.backups.locations import Location

from .backup import Printer


class Command(BaseCommand):
    requires_system_checks = []  # a restore must work when the rest does not
    help = (
        "Restore an archive of `tracecode backup` into this installation's database and file "
        "store (stop the app first). An older archive is migrated; a bad one changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="a path or s3://bucket/key")
        parser.add_argument(
            "--replace", action="store_true",
            help="replace a database and file store that hold data",
        )  # fmt: skip

    def handle(self, *args, archive, replace, **options):
        try:
            location, name = Location.of_archive(archive)
            with location.reading(name) as path:
                checked = services.restore(
                    path, replace=replace, progress=Printer(self.stderr.write)
                )
        except (BadArchive, RestoreError, ValueError) as error:
            raise CommandError(f"{archive}: {error}; nothing was changed") from None
        for line in checked.warnings:
            self.stderr.write(f"warning: {line}")
        self.stdout.write(f"Restored {archive}: {checked}")
