"""Monthly targets per salesperson, and the months closed with their plan against result.

A closed month keeps its figures as they were on the day it was closed (`MonthClose.rows`):
an order confirmed late, a customer handed to someone else or a corrected target changes
the figures computed today, never the closed month's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.sales.models import MONEY


class Target(models.Model):
    """What one salesperson aims at in one month."""

    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="targets",
        verbose_name=_("salesperson"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    order_value = models.DecimalField(_("order value (base currency)"), **MONEY, default=0)
    new_customers = models.PositiveIntegerField(_("new customers"), default=0)
    leads_followed = models.PositiveIntegerField(_("leads followed"), default=0)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    set_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["month", "salesperson__username"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["salesperson", "month"], name="one_target_a_month"),
            models.CheckConstraint(condition=Q(order_value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.salesperson} {self.month:%Y-%m}"


class MonthClose(models.Model):
    """A month's plan against result, kept as it was when the month was closed."""

    month = models.DateField(_("month"), unique=True)
    rows = models.JSONField(_("plan against result"), default=list)
    base_currency = models.CharField(_("base currency"), max_length=3)
    exchange_rates = models.JSONField(_("exchange rates"), default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
