"""Enquiries as they arrive, before and after they have a code.

    pending   ──accept──▶ accepted   customer and project made, acknowledged
       └──────reject──▶ rejected   spam or not our business: why is recorded

A web form's submission waits as *pending* with no code: codes are given only when a person
accepts it. An enquiry made from a mail or a chat message is accepted as it is made (the
person making it decides). Each is assigned to a salesperson by the administrator's rules
(`AssignmentRule`); a manager reassigns. A salesperson sees the enquiries assigned to them
and those of customers they may see; managers and administrators see all.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet, customer_q


def reply_hours() -> int:
    return getattr(settings, "ENQUIRY_REPLY_HOURS", 24)


class EnquiryQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Assigned to the user, or of a customer they may see; managers: all."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        theirs = Q(customer__isnull=False) & customer_q(user, self.model, "customer")
        return self.filter(Q(assigned_to=user) | theirs)

    def waiting(self):
        return self.filter(status=Enquiry.Status.PENDING)

    def unanswered(self):
        """Not rejected and no reply yet."""
        return self.exclude(status=Enquiry.Status.REJECTED).filter(first_reply_at__isnull=True)

    def overdue(self, now=None):
        """Unanswered for longer than TRACECODE_ENQUIRY_REPLY_HOURS."""
        now = now or timezone.now()
        return self.unanswered().filter(
            received_at__lt=now - datetime.timedelta(hours=reply_hours())
        )


class Enquiry(models.Model):
    """One enquiry from a mail, the website's form or a chat message."""

    customer_path = "customer"

    class Source(models.TextChoices):
        MAIL = "mail", _("mail")
        WEB = "web", _("website form")
        CHAT = "chat", _("chat message")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    # The moves an enquiry may make (services.move performs them).
    TRANSITIONS = {
        ("accept", Status.PENDING): Status.ACCEPTED,
        ("reject", Status.PENDING): Status.REJECTED,
    }

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # What the enquirer told (the form), or what their mail or message said.
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    industry = models.ForeignKey(
        "customers.Industry", models.SET_NULL, null=True, blank=True, verbose_name=_("industry")
    )
    part_name = models.CharField(_("part name"), max_length=100, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    address = models.GenericIPAddressField(_("sent from"), null=True, blank=True)
    mail = models.ForeignKey(
        "mail.MailMessage", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chat_message = models.ForeignKey(
        "mail.ChatMessage", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        "AssignmentRule", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    customer = models.ForeignKey(
        "customers.Customer", models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    project = models.ForeignKey(
        "sales.Project", models.SET_NULL, null=True, blank=True, related_name="enquiries"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    reply_mail = models.ForeignKey(
        "mail.MailMessage", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")

    def __str__(self) -> str:
        who = self.company_name or self.contact_name or self.email or f"#{self.pk}"
        return f"{who}: {self.part_name}" if self.part_name else who

    def get_absolute_url(self) -> str:
        return reverse("enquiries:detail", args=[self.pk])

    @property
    def code(self) -> str:
        return self.project.code if self.project_id else ""

    @property
    def response_time(self) -> datetime.timedelta | None:
        if self.first_reply_at is None:
            return None
        return max(self.first_reply_at - self.received_at, datetime.timedelta(0))

    @property
    def is_overdue(self) -> bool:
        if self.status == self.Status.REJECTED or self.first_reply_at is not None:
            return False
        return timezone.now() - self.received_at > datetime.timedelta(hours=reply_hours())


def held_path(instance, filename: str) -> str:
    """Drawings of an enquiry without a code yet: outside every customer's folder."""
    return f"Enquiries/{timezone.localdate():%Y-%m}/{instance.enquiry_id}/{filename}"


class EnquiryFile(models.Model):
    """A drawing sent with the web form, held until the enquiry is accepted (then it goes
    into the project's folder) or rejected (then it is deleted)."""

    enquiry = models.ForeignKey(Enquiry, models.CASCADE, related_name="files")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to=held_path, max_length=500, blank=True)
    stored = models.ForeignKey(
        "files.StoredFile", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class AssignmentRule(models.Model):
    """Who gets new enquiries: by the enquirer's country, by industry, or in turn.

    Country and industry rules are tried in their order, the first that fits wins; when
    none fits, the enquiry goes to the next of the *in turn* rules' people, each in turn.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("by country")
        INDUSTRY = "industry", _("by industry")
        TURN = "turn", _("in turn")

    kind = models.CharField(_("rule"), max_length=10, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True)
    industry = models.ForeignKey(
        "customers.Industry", models.CASCADE, null=True, blank=True, verbose_name=_("industry")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("assign to")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self) -> str:
        if self.kind == self.Kind.COUNTRY:
            what = _("country %(country)s") % {"country": self.country}
        elif self.kind == self.Kind.INDUSTRY:
            what = _("industry %(industry)s") % {"industry": self.industry}
        else:
            what = _("in turn")
        return f"{what} → {self.assignee.get_full_name() or self.assignee.username}"


class FormSettings(models.Model):
    """The website's enquiry form: off until an administrator turns it on (one row)."""

    enabled = models.BooleanField(_("the website form takes enquiries"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("website form")
        verbose_name_plural = _("website form")

    def __str__(self) -> str:
        return str(_("on")) if self.enabled else str(_("off"))

    @classmethod
    def current(cls) -> "FormSettings":
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class Submission(models.Model):
    """One post of the website form, kept an hour or so for the rate limit (in the database:
    several app servers share it). Honeypot posts count too."""

    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    spam = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"
