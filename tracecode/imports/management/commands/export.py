"""`tracecode export KIND [--format xlsx|csv] [--user NAME] [-o FILE] [--filter NAME=VALUE]`"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from tracecode.imports import services, sheets
from tracecode.imports.management.users import user_named


class Command(BaseCommand):
    help = "Export a list (what the user may see, filtered as its page) as .xlsx or CSV."

    def add_arguments(self, parser):
        names = ", ".join(k.name for k in sheets.kinds())
        parser.add_argument("kind", help=f"what to export: {names}")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--user", help="whose view (default: the only administrator)")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")
        parser.add_argument("--filter", action="append", default=[], metavar="NAME=VALUE",
                            help="a filter of the list's page, e.g. country=DE")  # fmt: skip

    def handle(self, *args, **options):
        try:
            kind = sheets.get(options["kind"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        user = user_named(options["user"])
        query = QueryDict(mutable=True)
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"--filter takes NAME=VALUE, got {item!r}")
            query.appendlist(name.strip(), value.strip())
        content = services.export(kind, user, query, options["format"])
        if options["output"]:
            Path(options["output"]).write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
