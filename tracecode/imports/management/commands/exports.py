"""`tracecode exports clean`"""

from django.conf import settings
from django.core.management.base import BaseCommand

from tracecode.imports import services


class Command(BaseCommand):
    help = (
        "clean: delete the files of background exports written more than "
        "TRACECODE_EXPORT_KEEP_DAYS days ago (default 7); daily from cron, or the next "
        "export does it."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["clean"])

    def handle(self, *args, **options):
        deleted = services.delete_expired_exports()
        self.stdout.write(
            f"{deleted} export files deleted (written more than {settings.EXPORT_KEEP_DAYS}"
            " days ago)"
        )
