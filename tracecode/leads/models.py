"""Order leads (订单情报, seed 002): what sales staff hear of a possible order, reported,
evaluated and planned by a manager, followed up with results recorded, and, once accepted,
turned into a customer and an enquiry.

    LD2026-007            the lead: its own code family (scheme `lead`, one serial a year)
      → RK1041            the customer it concerns, or the one it became
      → RK1041-1          the enquiry (project) it became; its orders follow in the sales app

A lead keeps its code for good. Its history (`LeadEvent`) is filed under the lead's code
and, once it became an enquiry, under the project's code too (`LeadFiling`), so the
project's timeline and Everything page carry where it came from.

Who sees a lead: its reporter, the person following it up, whoever may see its customer,
and managers (`LeadQuerySet.visible_to`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet, customer_q
from tracecode.codes.models import CodedModel
from tracecode.core.concurrency import Versioned
from tracecode.customers.models import Customer, CustomerSource
from tracecode.sales.models import MONEY, Project
from tracecode.sales.trade import CURRENCIES, format_money


class LeadQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Managers see every lead; others the leads they reported or follow up, and those
        about a customer they may see. A lead about a prospect has no customer yet, so the
        customer rule alone would hide it from the person who reported it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        path = self.model.lead_path
        prefix = f"{path}__" if path else ""
        mine = Q(**{f"{prefix}reported_by_id": user.pk}) | Q(**{f"{prefix}assigned_to_id": user.pk})
        return self.filter(mine | customer_q(user, self.model, self.model.customer_path))


class Lead(CodedModel, Versioned):
    """An order lead: who reported it, about whom, what and how much, and what became of it."""

    customer_path = "customer"
    lead_path = ""

    class State(models.TextChoices):
        REPORTED = "reported", _("reported")
        ACCEPTED = "accepted", _("accepted, following up")
        REJECTED = "rejected", _("rejected")
        CONVERTED = "converted", _("became an enquiry")
        LOST = "lost", _("lost")

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="reported_leads",
        verbose_name=_("reported by"),
        editable=False,
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    source = models.ForeignKey(
        CustomerSource, models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    customer = models.ForeignKey(
        Customer,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("customer"),
        help_text=_("An existing customer; empty for a prospect."),
    )
    company_name = models.CharField(_("prospect's company"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    product = models.CharField(_("product or part"), max_length=200)
    details = models.TextField(_("what we know"), blank=True)
    expected_value = models.DecimalField(_("expected order value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    expected_month = models.DateField(_("expected order month"))
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), validators=[MaxValueValidator(100)]
    )

    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.REPORTED, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
        editable=False,
    )
    decided_on = models.DateField(_("evaluated on"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("evaluation"), blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_leads",
        verbose_name=_("followed up by"),
        editable=False,
    )
    plan = models.TextField(_("follow-up plan"), blank=True, editable=False)
    follow_up_due = models.DateField(_("next follow-up"), null=True, blank=True, editable=False)
    project = models.OneToOneField(
        Project,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lead",
        verbose_name=_("enquiry"),
        editable=False,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closing_note = models.TextField(_("why it was lost"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("order lead")
        verbose_name_plural = _("order leads")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_value__gte=0), name="lead_value_not_negative"
            ),
            models.CheckConstraint(condition=Q(probability__lte=100), name="lead_probability"),
            models.CheckConstraint(
                condition=~Q(customer=None) | ~Q(company_name=""), name="lead_names_someone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.who}"

    def get_absolute_url(self) -> str:
        return reverse("leads:detail", args=[self.code])

    @property
    def who(self) -> str:
        """The customer's name, or the prospect's."""
        return self.customer.company_name if self.customer_id else self.company_name

    @property
    def weighted_value(self) -> Decimal:
        return self.expected_value * self.probability / 100

    @property
    def value_text(self) -> str:
        return format_money(self.expected_value, self.currency)

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.REPORTED, self.State.ACCEPTED)


class LeadEvent(models.Model):
    """One step of a lead's history: reported, evaluated, planned, a result, what it became."""

    customer_path = "lead__customer"
    lead_path = "lead"

    class Action(models.TextChoices):
        REPORTED = "reported", _("reported")
        EDITED = "edited", _("changed")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        PLANNED = "planned", _("follow-up planned")
        RESULT = "result", _("result")
        CONVERTED = "converted", _("became an enquiry")
        LOST = "lost", _("lost")

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="events", verbose_name=_("lead"))
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("lead history")
        verbose_name_plural = _("lead history")

    def __str__(self) -> str:
        return f"{self.lead.code} {self.action} {self.at:%Y-%m-%d}"


class LeadFiling(models.Model):
    """A code a lead's history is filed under: its own, then the enquiry it became."""

    lead = models.ForeignKey(Lead, models.CASCADE, related_name="filings")
    code = models.CharField(max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lead", "code"], name="one_filing_per_code")]

    def __str__(self) -> str:
        return f"{self.lead.code} → {self.code}"
