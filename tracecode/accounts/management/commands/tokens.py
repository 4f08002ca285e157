from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tracecode.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print its value once")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        listing = sub.add_parser("list", help="list a user's tokens")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "revoke":
            tokens = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if not tokens:
                raise CommandError(f"no active token with prefix {options['prefix']}")
            for token in tokens:
                token.revoke()
                self.stdout.write(f"revoked {token.prefix} ({token.name}, {token.user})")
            return
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {options['username']}") from None
        if action == "create":
            token, value = ApiToken.issue(user, options["name"])
            self.stdout.write(value)
        else:
            for token in user.api_tokens.all():
                state = "revoked" if token.is_revoked else "active"
                self.stdout.write(
                    f"{token.prefix}\t{state}\t{token.created_at:%Y-%m-%d}\t{token.name}"
                )
