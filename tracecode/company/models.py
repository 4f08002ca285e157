"""The company's profile and its bank accounts, edited by an administrator.

What is left empty here is read from the TRACECODE_COMPANY_… and TRACECODE_BANK_DETAILS
settings, so a fresh installation prints the letterhead it was configured with.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.core.trade import CURRENCIES


class CompanyProfile(models.Model):
    """The one row of the company's own details (primary key 1)."""

    name = models.CharField(_("name in English"), max_length=200, blank=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    address = models.TextField(_("address in English"), blank=True)
    address_zh = models.TextField(_("address in Chinese"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    logo = models.FileField(_("logo"), upload_to="company", max_length=300, blank=True)
    default_currency = models.CharField(
        _("default currency"), max_length=3, choices=CURRENCIES, blank=True
    )
    entity = models.CharField(
        _("entity abbreviation"),
        max_length=10,
        blank=True,
        help_text=_("The selling entity's short code, used by contract schemes ({entity})."),
    )
    document_terms = models.TextField(
        _("document terms"),
        blank=True,
        help_text=_("Printed at the end of every PI, CI and sales contract."),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name or settings.COMPANY_NAME


class BankAccount(models.Model):
    """Where customers pay in one currency; each document prints the account of its currency."""

    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, unique=True)
    bank_name = models.CharField(_("bank"), max_length=200)
    bank_address = models.CharField(_("bank address"), max_length=300, blank=True)
    swift = models.CharField(_("SWIFT/BIC"), max_length=11, blank=True)
    account_name = models.CharField(_("beneficiary"), max_length=200, blank=True)
    account_number = models.CharField(_("account no."), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["currency"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self) -> str:
        return f"{self.currency} {self.bank_name} {self.account_number}"

    def details(self) -> str:
        """The account as one printed paragraph."""
        parts = [self.bank_name, self.bank_address, f"SWIFT {self.swift}" if self.swift else ""]
        parts += [self.account_name, f"A/C {self.account_number} ({self.currency})", self.note]
        return " · ".join(p for p in parts if p)
