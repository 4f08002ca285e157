"""The rules of targets and closed months: views, the API and the demo call these.

Managers set targets and close months; a closed month keeps its plan against result as it
was (figures.plan_rows on the day it closed) and its targets no longer change.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import figures
from .models import MonthClose, Target


class PlanRefused(Exception):
    """What was asked of targets or closing is not allowed; the message says why."""

    status = 409

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class NotAManager(PlanRefused):
    status = 403


def _manager(user) -> None:
    if not (user.can_write and user.sees_everything):
        raise NotAManager(_("Only a manager sets targets and closes months."))


def is_closed(month: datetime.date) -> bool:
    return MonthClose.objects.filter(month=figures.month_start(month)).exists()


def set_target(
    salesperson, month: datetime.date, *, user, order_value: Decimal, new_customers: int,
    leads_followed: int,
) -> Target:  # fmt: skip
    """Set one salesperson's target for a month that is not closed."""
    _manager(user)
    month = figures.month_start(month)
    if not salesperson.is_active or not salesperson.can_write:
        raise PlanRefused(_("Targets are set for active sales staff."), "salesperson")
    if min(order_value, new_customers, leads_followed) < 0:
        raise PlanRefused(_("A target cannot be negative."))
    with transaction.atomic():
        if MonthClose.objects.select_for_update().filter(month=month).exists():
            raise PlanRefused(
                _("%(month)s is closed: its targets stay as they were.")
                % {"month": figures.month_label(month)},
                "month",
            )
        target, _created = Target.objects.update_or_create(
            salesperson=salesperson,
            month=month,
            defaults={
                "order_value": figures.money(order_value),
                "new_customers": new_customers,
                "leads_followed": leads_followed,
                "set_by": user,
                "set_at": timezone.now(),
            },
        )
    return target


def close_month(month: datetime.date, *, user, today=None) -> MonthClose:
    """Keep the month's plan against result as it is now; the month must be over."""
    _manager(user)
    month = figures.month_start(month)
    today = today or timezone.localdate()
    if month >= today.replace(day=1):
        raise PlanRefused(
            _("%(month)s is not over yet.") % {"month": figures.month_label(month)}, "month"
        )
    rows = figures.snapshot_rows(figures.plan_rows(user, month))
    try:
        with transaction.atomic():
            return MonthClose.objects.create(
                month=month,
                rows=rows,
                base_currency=settings.BASE_CURRENCY,
                exchange_rates={k: str(v) for k, v in figures.rates().items()},
                closed_by=user,
            )
    except IntegrityError:
        raise PlanRefused(
            _("%(month)s is already closed.") % {"month": figures.month_label(month)}, "month"
        ) from None
