from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.codes.models import CodedModel


class Customer(CodedModel):
    """A customer: its code, given once at creation, is its identity card."""

    customer_path = ""

    company_name = models.CharField(_("company name"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="owned_customers",
        verbose_name=_("owner"),
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CustomerShare",
        related_name="shared_customers",
        blank=True,
        verbose_name=_("shared with"),
    )
    # The client's requirements; sales orders are prefilled from them.
    packaging_requirements = models.TextField(_("packaging requirements"), blank=True)
    inspection_requirements = models.TextField(_("inspection requirements"), blank=True)
    payment_requirements = models.TextField(_("payment requirements"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.code} {self.company_name}"

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", args=[self.code])


class CustomerShare(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "user"], name="one_share_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.customer.code} → {self.user}"
