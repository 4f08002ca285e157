"""The care app's records in the record registry: credit reviews, key account plans and sheet
reviews filed under the customer's code, releases of blocked orders under the order's, so
timelines and the Everything page show them (a visit is an entry of the communication log,
which the customers app registers). Registered from CareConfig.ready()."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.sales.trade import format_money

from .models import AccountPlan, CreditAssessment, CreditRelease, SheetReview


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


def plan_row(plan: AccountPlan) -> Row:
    customer = plan.account.customer
    return Row(
        title=_("Key account plan %(year)s: %(done)s%% done")
        % {"year": plan.year, "done": plan.percent_done},
        url=reverse("care:account", args=[customer.code]),
        code=customer.code,
        date=plan.updated_at,
        details=[_who(plan.updated_by), plan.goals[:200]],
        badge=_("key account"),
    )


def review_row(review: SheetReview) -> Row:
    return Row(
        title=_("Sheet reviewed: it is current"),
        url=review.customer.get_absolute_url(),
        code=review.customer.code,
        date=review.reviewed_at,
        details=[_who(review.reviewed_by), review.note],
        badge=_("archive"),
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
    registry.register(
        registry.Filed(
            "account_plan", AccountPlan, gettext_lazy("Key account plans"), position=92,
            code_path="account__customer__code", date="updated_at", row=plan_row,
            timeline="records/_timeline_row.html", related=("account__customer", "updated_by"),
        )
    )  # fmt: skip
    registry.register(
        registry.Filed(
            "sheet_review", SheetReview, gettext_lazy("Sheet reviews"), position=93,
            code_path="customer__code", date="reviewed_at", row=review_row,
            timeline="records/_timeline_row.html", related=("customer", "reviewed_by"),
        )
    )  # fmt: skip
