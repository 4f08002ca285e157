"""`tracecode mail import PATH…`, `tracecode mail import-chat FILE` and `tracecode mail fetch`."""

from django.core.management.base import BaseCommand, CommandError

from tracecode.mail import services
from tracecode.mail.models import MailAccount


class Command(BaseCommand):
    help = "Mail: import .eml/mbox files, fetch IMAP accounts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser("import", help="import .eml and mbox files (folders: their .eml)")
        imp.add_argument("paths", nargs="+", metavar="PATH")
        imp.add_argument("--owner", help="user name: the mails are that user's until filed")
        chat = sub.add_parser(
            "import-chat", help="add a WhatsApp export (.txt/.zip) to its chat's archive"
        )
        chat.add_argument("file", metavar="FILE")
        chat.add_argument("--code", default="", help="file every new message under this code")
        chat.add_argument(
            "--date-order",
            choices=["dmy", "mdy", "ymd"],
            help="how the export writes dates, when every date fits more than one order",
        )
        chat.add_argument("--user", help="user name: the import is theirs (unfiled: theirs)")
        fetch = sub.add_parser("fetch", help="fetch new mail of the IMAP accounts")
        fetch.add_argument("--account", help="only the account of this name")

    def handle(self, *args, action, **options):
        if action == "import":
            return self.import_files(options["paths"], options.get("owner"))
        if action == "import-chat":
            return self.import_chat(options)
        return self.fetch(options.get("account"))

    def import_files(self, paths, owner_name):
        from django.contrib.auth import get_user_model

        owner = None
        if owner_name:
            owner = get_user_model().objects.filter(username=owner_name).first()
            if owner is None:
                raise CommandError(f"no user named {owner_name!r}")

        def progress(done, report):
            self.stderr.write(f"{done}/{len(paths)} files: {report}")

        report = services.import_files(paths, owner=owner, progress=progress)
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
        self.stdout.write(str(report))

    def import_chat(self, options):
        from pathlib import Path

        from django.contrib.auth import get_user_model
        from django.core.exceptions import PermissionDenied, ValidationError

        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user named {options['user']!r}")
        path = Path(options["file"])
        try:
            with open(path, "rb") as data:
                upload = services.import_chat(
                    path.name, data, user, code=options["code"],
                    date_order=services.date_order_of(options.get("date_order")),
                )  # fmt: skip
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        except services.AmbiguousDates as error:
            orders = " or ".join(f"--date-order {o.lower()}" for o in error.readings)
            raise CommandError(f"{error} Give {orders}.") from None
        except services.ChatImportError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied:
            raise CommandError(f"{user} may not file under {options['code']}") from None
        for problem in upload.problems.splitlines():
            self.stderr.write(f"problem: {problem}")
        self.stdout.write(
            f"{upload.name}: {upload.added} new, {upload.skipped} skipped (already there); "
            f"chat {upload.chat_id} ({upload.chat}), dates {upload.date_order.lower()}"
        )

    def fetch(self, name):
        accounts = MailAccount.objects.filter(active=True)
        if name:
            accounts = accounts.filter(name=name)
            if not accounts:
                raise CommandError(f"no active mail account named {name!r}")
        failed = False
        for account in accounts:
            report = services.fetch_account(account)
            line = f"{account.name}: {report}"
            if report.error:
                failed = True
                line += f"; error: {report.error}"
            for failure in report.failures:
                self.stderr.write(f"failed: {failure}")
            self.stdout.write(line)
        if failed:
            raise CommandError("some accounts could not be fetched")
