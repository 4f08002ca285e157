"""`tracecode import KIND FILE [--dry-run] [--keep-good] [--user NAME] [--map HEADER=COLUMN]`"""

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracecode.imports import engine, reading, services, sheets
from tracecode.imports.management.users import user_named


def mapping_pair(text: str) -> tuple[str, str]:
    header, sep, column = text.partition("=")
    if not sep or not header.strip():
        raise ValueError(f"--map takes HEADER=COLUMN (COLUMN - to leave it out), got {text!r}")
    column = column.strip()
    return header.strip(), "" if column == "-" else column


class Command(BaseCommand):
    help = (
        "Import a sheet of one kind (an .xlsx or CSV file) through the app's forms and services. "
        "All or nothing unless --keep-good; --dry-run saves nothing and says what would happen."
    )

    def add_arguments(self, parser):
        names = ", ".join(k.name for k in sheets.kinds() if k.importable)
        parser.add_argument("kind", help=f"what the file holds: {names}")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument("--keep-good", action="store_true",
                            help="when some rows fail, import the good ones")  # fmt: skip
        parser.add_argument("--user", help="who imports (default: the only administrator)")
        parser.add_argument("--map", action="append", type=mapping_pair, default=[],
                            metavar="HEADER=COLUMN",
                            help="what an unknown header is (COLUMN - leaves it out); "
                                 "remembered for the user and kind")  # fmt: skip
        parser.add_argument(
            "--errors",
            metavar="PATH",
            help="write the failing rows there (.xlsx with an Error column)",
        )

    def handle(self, *args, **options):
        try:
            kind = sheets.get(options["kind"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        if not kind.importable:
            raise CommandError(f"{kind.name} are exported only")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        user = user_named(options["user"])

        def progress(outcome):
            print(f"\r{outcome.done}/{outcome.total} rows", end="", file=sys.stderr, flush=True)

        try:
            run, outcome = services.run_now(
                user, kind.name, data, path.name, commit=not options["dry_run"],
                keep_good=options["keep_good"], mapping=dict(options["map"]),
                progress_=progress if sys.stderr.isatty() else None,
            )  # fmt: skip
        except engine.NeedsMapping as needed:
            columns = ", ".join(key for key, _label in services.mappable_columns(kind))
            raise CommandError(
                f"headers that name no column: {needed}. Map each once with "
                f"--map 'HEADER=COLUMN' (COLUMN one of: {columns}; - to leave it out)"
            ) from None
        except (reading.Unreadable, engine.Unsuitable) as error:
            raise CommandError(f"{path}: {error}") from None
        except PermissionDenied as error:
            raise CommandError(str(error) or "not allowed") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if sys.stderr.isatty():
            print(file=sys.stderr)
        for problem in outcome.problems:
            self.stderr.write(str(problem))
        counts = outcome.counts()
        verb = "would be" if options["dry_run"] else "saved" if outcome.committed else "NOT saved"
        self.stdout.write(
            f"import {run.pk} ({verb}): {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failing "
            f"in {outcome.seconds:.1f} s"
        )
        if options["errors"] and outcome.failed:
            Path(options["errors"]).write_bytes(services.failing_file(run))
            self.stdout.write(f"failing rows: {options['errors']}")
        if outcome.failed and not outcome.committed and not options["dry_run"]:
            raise CommandError("nothing was imported: fix the failing rows, or use --keep-good")
        if outcome.failed and options["dry_run"]:
            sys.exit(1)
