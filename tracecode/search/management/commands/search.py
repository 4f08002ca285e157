from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracecode.search import index
from tracecode.search.services import LIMIT, search


class Command(BaseCommand):
    help = "The search index: rebuild it, or search as a user."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reindex = sub.add_parser("reindex", help="rebuild the index from every provider")
        reindex.add_argument(
            "--model", action="append", default=[], metavar="APP.MODEL",
            help="only these models (e.g. sales.order); repeatable",
        )  # fmt: skip
        reindex.add_argument("--batch", type=int, default=500, help="records per transaction")
        query = sub.add_parser("query", help="search as a user and print the results")
        query.add_argument("text")
        query.add_argument("--user", required=True, help="the user name to search as")
        query.add_argument("--limit", type=int, default=LIMIT, help="hits per group")
        query.add_argument("--kind", help="only this kind (customer, order, mail …)")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_reindex(self, model, batch, **_):
        shown = {}

        def progress(label, done, total):
            step = max(1, total // 20)
            if done == total or done // step != shown.get(label, -1):
                shown[label] = done // step
                self.stdout.write(f"{label}: {done}/{total}")

        try:
            written = index.reindex(model or None, batch=batch, progress=progress)
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{written} entries written")

    def do_query(self, text, user, limit, kind, **_):
        try:
            who = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {user!r}") from None
        found = search(who, text, limit=limit, kind=kind)
        if not found:
            self.stdout.write(f"nothing found for {found.query!r} ({found.mode})")
            return
        for group in found.groups:
            self.stdout.write(f"{group.label} ({group.count_text})")
            for hit in group.hits:
                self.stdout.write(f"  {hit.code or '-':<16} {hit.title}  {hit.url}")
