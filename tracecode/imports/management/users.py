"""Who a command works as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from tracecode.accounts.models import Role


def user_named(name: str | None):
    """The user the import is done as: the one named, else the only administrator."""
    users = get_user_model().objects.filter(is_active=True)
    if name:
        user = users.filter(username=name).first()
        if user is None:
            raise CommandError(f"no active user {name!r}")
        return user
    admins = list(users.filter(role=Role.ADMIN)[:2])
    if len(admins) != 1:
        raise CommandError("say who imports: --user NAME")
    return admins[0]
