"""Enquiries in the record registry: an accepted enquiry is filed under its project's code,
so the project's Everything page and timeline show where and when it came in and how fast
it was answered. A waiting one has no code and is in no walk."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row

from .models import Enquiry


def hours(delta) -> str:
    total = int(delta.total_seconds() // 60)
    return f"{total // 60} h {total % 60:02d} min"


def enquiry_row(enquiry: Enquiry) -> Row:
    details = [str(enquiry.get_source_display())]
    if enquiry.assigned_to:
        details.append(enquiry.assigned_to.get_full_name() or enquiry.assigned_to.username)
    if enquiry.response_time is not None:
        details.append(_("first reply after %(time)s") % {"time": hours(enquiry.response_time)})
    return Row(
        title=str(enquiry),
        url=reverse("enquiries:detail", args=[enquiry.pk]),
        code=enquiry.code,
        date=enquiry.received_at,
        badge=_("enquiry"),
        state=enquiry.get_status_display(),
        state_key=enquiry.status,
        details=details,
        warning=_("no reply yet") if enquiry.is_overdue else "",
    )


def register() -> None:
    registry.register(
        registry.Filed(
            "enquiry", Enquiry, _("Enquiries"), position=22, code_path="project__code",
            date="received_at", row=enquiry_row, related=("project", "assigned_to"),
        )
    )  # fmt: skip
