"""`tracecode folders sync DIR`: mirror the client folder framework into a folder."""

from django.core.management.base import BaseCommand, CommandError

from tracecode.codes import registry
from tracecode.files import tree


class Command(BaseCommand):
    help = "The client folder framework: mirror every customer's tree into a folder."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sync = sub.add_parser(
            "sync",
            help="mirror the trees into DIR (only what changed is written; safe to re-run)",
        )
        sync.add_argument("directory", metavar="DIR")
        sync.add_argument(
            "--customer", action="append", metavar="CODE", help="only this customer (repeatable)"
        )

    def handle(self, *args, action, directory, customer=None, **options):
        customers = registry.kind(registry.ROOT).model.objects.order_by("code")
        if customer:
            customers = customers.filter(code__in=customer)
            missing = set(customer) - set(customers.values_list("code", flat=True))
            if missing:
                raise CommandError(f"no customer {', '.join(sorted(missing))}")
        try:
            report = tree.sync(directory, customers.iterator())
        except OSError as error:
            raise CommandError(f"cannot write into {directory}: {error}") from None
        self.stdout.write(f"{directory}: {report}")
