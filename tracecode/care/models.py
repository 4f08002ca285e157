"""Credit control: a customer's credit assessment, and the releases of blocked orders.

The credit limit itself stays on the customer (`Customer.credit_limit`, in
settings.BASE_CURRENCY) beside its credit level: the sheet and the customers API show them
and the check in credit.py reads them; an assessment records how they were arrived at, who
reviewed it and when, and sets them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.customers.models import CreditLevel, Customer
from tracecode.sales.models import MONEY, Order


def user_field(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class CreditAssessment(models.Model):
    """One review of a customer's credit; the latest is the one in force."""

    customer_path = "customer"

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="credit_assessments", verbose_name=_("customer")
    )
    financial_state = models.TextField(_("financial state"), blank=True)
    credit_record = models.TextField(_("credit record"), blank=True)
    background = models.TextField(_("background"), blank=True)
    level = models.CharField(_("credit level"), max_length=1, choices=CreditLevel.choices)
    limit = models.DecimalField(
        _("credit limit"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("In the base currency; empty: no limit is checked."),
    )
    payment_terms = models.CharField(_("allowed payment terms"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = user_field(_("reviewed by"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("credit assessment")
        verbose_name_plural = _("credit assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(limit__gte=0) | models.Q(limit=None),
                name="credit_limit_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer.code} {self.level} {self.reviewed_on}"


class CreditRelease(models.Model):
    """A manager's release of an order the credit check refused, with the reason and the
    figures it was released at. It lets the order be confirmed as long as its total does not
    grow beyond the released total."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="credit_releases", verbose_name=_("order")
    )
    reason = models.TextField(_("reason"))
    order_total = models.DecimalField(_("order total"), **MONEY)
    exposure = models.DecimalField(_("exposure"), **MONEY)
    limit = models.DecimalField(_("credit limit"), **MONEY, null=True, blank=True)
    overdue = models.PositiveIntegerField(_("overdue invoices"), default=0)
    released_by = user_field(_("released by"))
    released_at = models.DateTimeField(_("released"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-released_at", "-pk"]
        verbose_name = _("credit release")
        verbose_name_plural = _("credit releases")
        permissions = [("control_credit", _("Can release orders blocked by credit control"))]

    def __str__(self) -> str:
        return f"{self.order.code} {self.released_at:%Y-%m-%d}"
