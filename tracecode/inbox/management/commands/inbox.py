from django.core.management.base import BaseCommand, CommandError

from tracecode.inbox import services


class Command(BaseCommand):
    help = "The watched folder: `tracecode inbox scan` files what is ready in it (for cron)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        scan = commands.add_parser("scan", help="file every file of the folder that is ready")
        scan.add_argument("--dir", help="the folder (default: TRACECODE_INBOX_DIR)")
        scan.add_argument("--user", help="the user to file as (default: TRACECODE_INBOX_USER)")

    def handle(self, *args, command, **options):
        try:
            report = services.scan(options.get("dir"), options.get("user"))
        except services.InboxError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.failed:
            self.stderr.write(f"{len(report.failed)} file(s) moved to failed/ (see .reason.txt)")
