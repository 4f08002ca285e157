"""Sign-in, roles, API tokens and who may see what."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tracecode.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
