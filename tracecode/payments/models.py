"""What settles an order besides money received for it: a write-off of a short payment, and
the customer's credit (an overpayment kept, or credit used on another order).

An order's `paid` is what is settled: its payments, its write-offs and the credit used on it;
its balance is the total less that.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.core.trade import CURRENCIES
from tracecode.customers.models import Customer
from tracecode.sales.models import MONEY, Order, Payment


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=verbose_name,
    )  # fmt: skip


class WriteOff(models.Model):
    """The part of an order's balance that will not come: bank charges taken on the way, a
    small difference agreed; the order is settled with it, and the reason is kept."""

    customer_path = "order__project__customer"

    class Reason(models.TextChoices):
        BANK_CHARGES = "bank_charges", _("bank charges")
        EXCHANGE = "exchange", _("exchange difference")
        DISCOUNT = "discount", _("discount agreed")
        ROUNDING = "rounding", _("rounding")
        OTHER = "other", _("other")

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="write_offs", verbose_name=_("order")
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user(_("recorded by"))
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["written_on", "pk"]
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="write_off_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order.code} {self.amount}"


class Credit(models.Model):
    """One movement of a customer's credit in a currency: + an overpayment kept, − credit used
    to settle an order."""

    customer_path = "customer"

    customer = models.ForeignKey(
        Customer, models.PROTECT, related_name="credits", verbose_name=_("customer")
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    amount = models.DecimalField(_("amount"), **MONEY)
    order = models.ForeignKey(
        Order, models.PROTECT, related_name="credits", verbose_name=_("order")
    )
    payment = models.ForeignKey(
        Payment, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("from payment"),
    )  # fmt: skip
    on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user(_("recorded by"))
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("customer credit")
        verbose_name_plural = _("customer credit")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="credit_not_zero")]

    def __str__(self) -> str:
        return f"{self.customer.code} {self.currency} {self.amount}"
