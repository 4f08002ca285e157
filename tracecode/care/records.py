"""The care app's records in the record registry: credit reviews filed under the customer's
code, releases of blocked orders under the order's, so timelines and the Everything page show
them. Registered from CareConfig.ready()."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.sales.trade import format_money

from .models import CreditAssessment, CreditRelease


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def assessment_row(assessment: CreditAssessment) -> Row:
    customer = assessment.customer
    limit = (
        _("no limit")
        if assessment.limit is None
        else format_money(assessment.limit, settings.BASE_CURRENCY)
    )
    return Row(
        title=_("Credit review: %(level)s, %(limit)s")
        % {"level": assessment.get_level_display(), "limit": limit},
        url=reverse("care:credit", args=[customer.code]),
        code=customer.code,
        date=assessment.reviewed_on,
        details=[_who(assessment.reviewed_by)],
        badge=_("credit"),
    )


def release_row(release: CreditRelease) -> Row:
    order = release.order
    return Row(
        title=_("Credit block released: %(code)s") % {"code": order.code},
        url=order.get_absolute_url(),
        code=order.code,
        date=release.released_at,
        details=[_who(release.released_by), release.reason[:200]],
        badge=_("credit"),
    )


def register() -> None:
    registry.register(
        registry.Filed(
            "credit_assessment", CreditAssessment, gettext_lazy("Credit reviews"), position=57,
            code_path="customer__code", date="reviewed_on", row=assessment_row,
            timeline="records/_timeline_row.html", related=("customer", "reviewed_by"),
        )
    )  # fmt: skip
    registry.register(
        registry.Filed(
            "credit_release", CreditRelease, gettext_lazy("Credit releases"), position=58,
            code_path="order__code", date="released_at", row=release_row,
            timeline="records/_timeline_row.html", related=("order", "released_by"),
        )
    )  # fmt: skip
