import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tracecode.codes import core, services


def field_pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise ValueError(f"--field takes NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


class Command(BaseCommand):
    help = "The coding engine: check and load scheme files, give, preview, explain and find codes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        check = sub.add_parser("check", help="check a scheme file; changes nothing")
        check.add_argument("file")
        load = sub.add_parser("load", help="add or update the schemes of a file")
        load.add_argument("file")
        for name, text in [
            ("next", "give the next code (a registry entry with no record); prints it last"),
            ("preview", "show the next code without using it"),
        ]:
            p = sub.add_parser(name, help=text)
            p.add_argument("scheme")
            p.add_argument("--parent", help="the parent record's code")
            p.add_argument(
                "--field", action="append", type=field_pair, default=[], metavar="NAME=VALUE"
            )
            p.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        explain = sub.add_parser("explain", help="explain a code part by part (JSON)")
        explain.add_argument("code")
        find = sub.add_parser("find", help="find codes in a text (JSON list)")
        find.add_argument("text", nargs="+")
        legacy = sub.add_parser("import", help="register legacy codes from a CSV file")
        legacy.add_argument("file")
        legacy.add_argument("--scheme", required=True)
        cancel = sub.add_parser("cancel", help="mark a code cancelled (it stays used)")
        cancel.add_argument("code")
        cancel.add_argument("--reason", default="")
        sub.add_parser("schemes", help="list the schemes in force")

    def handle(self, *args, action, **options):
        handler = getattr(self, f"do_{action}")
        try:
            handler(**options)
        except services.CodingError as error:
            raise CommandError(str(error)) from None

    def read(self, path: str) -> str:
        if path == "-":
            return sys.stdin.read()
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None

    def do_check(self, file, **_):
        problems = core.check(self.read(file), base=services.schemes_to_check_against())
        for problem in problems:
            self.stderr.write(f"{file}: {problem}")
        if problems:
            sys.exit(1)  # one line per problem is all the output: no traceback, no summary
        names = ", ".join(core.scheme_names(self.read(file)))
        self.stdout.write(f"{file}: OK ({names})")

    def do_load(self, file, **_):
        try:
            names = services.load_scheme_file(self.read(file))
        except core.SchemeError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(error.problems)} problem(s); nothing loaded") from None
        self.stdout.write(f"loaded {len(names)} scheme(s): {', '.join(names)}")

    def code_args(self, options) -> dict:
        return {
            "parent": options["parent"],
            "fields": dict(options["field"]),
            "date": options["date"],
        }

    def do_next(self, scheme, **options):
        with transaction.atomic():
            entry = services.allocate(scheme, **self.code_args(options))
        self.stdout.write(entry.code)

    def do_preview(self, scheme, **options):
        self.stdout.write(services.preview(scheme, **self.code_args(options)))

    def do_explain(self, code, **_):
        self.stdout.write(json.dumps(services.explain(code), ensure_ascii=False, indent=2))

    def do_find(self, text, **_):
        self.stdout.write(json.dumps(services.find(" ".join(text)), ensure_ascii=False, indent=2))

    def do_import(self, file, scheme, **_):
        result = services.import_csv(self.read(file), scheme)
        self.stdout.write(f"imported {len(result.imported)} code(s) into {scheme}")

    def do_cancel(self, code, reason, **_):
        entry = services.cancel(code, reason=reason)
        self.stdout.write(f"{entry.code} cancelled")

    def do_schemes(self, **_):
        for sch in services.schemes().values():
            parent = f" (parent: {sch.parent})" if sch.parent else ""
            self.stdout.write(f"{sch.name:<20} {sch.pattern:<40} {sch.label}{parent}")
