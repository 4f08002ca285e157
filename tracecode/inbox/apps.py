"""The watched folder: files saved to a shared drive are filed under the code in their name."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "tracecode.inbox"
    label = "inbox"
    verbose_name = _("Watched folder")
