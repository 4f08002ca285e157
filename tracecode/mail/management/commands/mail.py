"""`tracecode mail import PATH…` and `tracecode mail fetch`."""

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
        fetch = sub.add_parser("fetch", help="fetch new mail of the IMAP accounts")
        fetch.add_argument("--account", help="only the account of this name")

    def handle(self, *args, action, **options):
        if action == "import":
            return self.import_files(options["paths"], options.get("owner"))
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
