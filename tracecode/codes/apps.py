"""The numbering engine: schemes, counters and the code registry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CodesConfig(AppConfig):
    name = "tracecode.codes"
    label = "codes"
    verbose_name = _("Codes")

    def ready(self):
        from django.core.signals import request_started
        from django.tasks.signals import task_started

        from .services import check_schemes_again

        # Another app server may have changed a scheme: check when a request or task starts.
        request_started.connect(check_schemes_again, dispatch_uid="codes.check_schemes_again")
        task_started.connect(check_schemes_again, dispatch_uid="codes.check_schemes_again")
