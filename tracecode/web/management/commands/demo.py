from django.core.management.base import BaseCommand

from tracecode.web.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo company (idempotent: a second run adds nothing) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the app is served"
        )

    def handle(self, *args, url, **options):
        report = load_demo()
        self.stdout.write(report.summary(url))
