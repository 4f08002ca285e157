"""A sales contract per order and its amendments (supplementary contracts).

The contract's code comes from the `contract` coding scheme when an administrator has loaded
one (`WXH{entity:3}{YYYY}{MM}{serial:4}`); without one it is the order's own code. Amendments
are the contract's code and `-1`, `-2` …; where the contract carries the order's code they are
`-A1`, `-A2` …, because the order's `-2` is already its second complaint (RK888-6-S1-2).
"""

import posixpath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.files.folders import folder_of
from tracecode.sales.models import Order


def _user(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=verbose_name,
    )  # fmt: skip


def contract_path(instance, filename: str) -> str:
    contract = instance if isinstance(instance, Contract) else instance.contract
    return posixpath.join(folder_of(contract.order), "contract", filename)


class Contract(models.Model):
    """The sales contract of an order, as issued to the buyer."""

    customer_path = "order__project__customer"

    order = models.OneToOneField(
        Order, models.PROTECT, related_name="contract", verbose_name=_("order")
    )
    code = models.CharField(_("contract no."), max_length=60, unique=True, editable=False)
    issued_on = models.DateField(_("date"), default=timezone.localdate)
    clauses = models.TextField(
        _("further clauses"), blank=True, help_text=_("Printed after the company's terms.")
    )
    signed_on = models.DateField(_("signed by the buyer on"), null=True, blank=True)
    snapshot = models.JSONField(_("content"), default=dict, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=contract_path, max_length=500, editable=False)
    xlsx = models.FileField(_("Excel"), upload_to=contract_path, max_length=500, editable=False)
    created_by = _user(_("issued by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales contract")
        verbose_name_plural = _("sales contracts")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.code])

    @property
    def amendment_prefix(self) -> str:
        """What an amendment's number puts after the contract's code."""
        return "-A" if self.code == self.order.code else "-"


class Amendment(models.Model):
    """A supplementary contract: what changed, and the order as it stands after the change."""

    customer_path = "contract__order__project__customer"

    contract = models.ForeignKey(
        Contract, models.PROTECT, related_name="amendments", verbose_name=_("contract")
    )
    number = models.PositiveIntegerField(_("amendment"), editable=False)
    code = models.CharField(_("amendment no."), max_length=70, unique=True, editable=False)
    issued_on = models.DateField(_("date"), default=timezone.localdate)
    changes = models.TextField(_("what changes"))
    signed_on = models.DateField(_("signed by the buyer on"), null=True, blank=True)
    snapshot = models.JSONField(_("content"), default=dict, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=contract_path, max_length=500, editable=False)
    xlsx = models.FileField(_("Excel"), upload_to=contract_path, max_length=500, editable=False)
    created_by = _user(_("issued by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_amendment_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_from_1"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.contract.code]) + f"#{self.code}"
