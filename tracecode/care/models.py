"""Customer care: credit control (assessments, releases of blocked orders), key accounts
(owner, rhythm, yearly plans, visits) and the reviews that keep the archive current.

The credit limit itself stays on the customer (`Customer.credit_limit`, in
settings.BASE_CURRENCY) beside its credit level: the sheet and the customers API show them
and the check in credit.py reads them; an assessment records how they were arrived at, who
reviewed it and when, and sets them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.customers.models import Communication, CreditLevel, Customer
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


class KeyAccount(models.Model):
    """A key account: its named owner, how often it is visited and called back, its plans.

    A visit (or return visit) is an entry of the customer's communication log with its
    purpose and outcome (`Visit`); the next one is due the set number of weeks after the
    last one, and an overdue one is among its owner's follow-ups."""

    customer_path = "customer"

    customer = models.OneToOneField(
        Customer, models.CASCADE, related_name="key_account", verbose_name=_("customer")
    )
    owner = user_field(_("key account owner"))
    visit_weeks = models.PositiveSmallIntegerField(
        _("visit every (weeks)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    return_visit_weeks = models.PositiveSmallIntegerField(
        _("return visit every (weeks)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text=_("A call or visit to hear how things went since the last contact."),
    )
    since = models.DateField(_("key account since"), default=timezone.localdate)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["customer__code"]
        verbose_name = _("key account")
        verbose_name_plural = _("key accounts")

    def __str__(self) -> str:
        return self.customer.code


class AccountPlan(models.Model):
    """A key account's plan for one year: goals, actions, and how far they have come."""

    customer_path = "account__customer"

    account = models.ForeignKey(
        KeyAccount, models.CASCADE, related_name="plans", verbose_name=_("key account")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    goals = models.TextField(_("goals"))
    actions = models.TextField(_("actions"))
    progress = models.TextField(_("progress"), blank=True)
    percent_done = models.PositiveSmallIntegerField(
        _("done (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    updated_by = user_field(_("updated by"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        constraints = [models.UniqueConstraint(fields=["account", "year"], name="one_plan_a_year")]

    def __str__(self) -> str:
        return f"{self.account.customer.code} {self.year}"


class Visit(models.Model):
    """A visit or return visit to a customer: its entry in the communication log (when, who)
    with the purpose and the outcome."""

    customer_path = "entry__customer"

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        RETURN = "return", _("return visit")

    entry = models.OneToOneField(
        Communication, models.CASCADE, related_name="visit", verbose_name=_("log entry")
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.VISIT)
    purpose = models.TextField(_("purpose"))
    outcome = models.TextField(_("outcome"), blank=True)
    visited_by = user_field(_("visited by"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-entry__date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.entry.customer.code} {self.entry.date} {self.get_kind_display()}"


class SheetReview(models.Model):
    """Someone checked a customer's sheet and found it current (or made it so)."""

    customer_path = "customer"

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="sheet_reviews", verbose_name=_("customer")
    )
    reviewed_by = user_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)
    next_due = models.DateField(_("next review due"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("sheet review")
        verbose_name_plural = _("sheet reviews")

    def __str__(self) -> str:
        return f"{self.customer.code} {self.reviewed_at:%Y-%m-%d}"


class CauseCategory(models.Model):
    """A class of root cause complaints are counted by; the administrator keeps the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cause category")
        verbose_name_plural = _("cause categories")

    def __str__(self) -> str:
        return f"{self.name} · {self.name_zh}" if self.name_zh else self.name


class ComplaintHandling(models.Model):
    """How a complaint (sales.Complaint) is handled to the end: its cause category, the part
    it concerns, and its steps in order (ComplaintStep; the order is in complaints.py)."""

    customer_path = "complaint__order__project__customer"

    complaint = models.OneToOneField(
        "sales.Complaint", models.CASCADE, related_name="handling", verbose_name=_("complaint")
    )
    category = models.ForeignKey(
        CauseCategory, models.PROTECT, null=True, blank=True, verbose_name=_("cause category")
    )
    part_number = models.CharField(_("part number"), max_length=60, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint handling")
        verbose_name_plural = _("complaint handlings")

    def __str__(self) -> str:
        return self.complaint.number


class ComplaintStep(models.Model):
    """One step of a complaint's handling: what was found or done, who and when."""

    customer_path = "handling__complaint__order__project__customer"

    class Step(models.TextChoices):
        CONTENT = "content", _("content confirmed")
        ANALYSIS = "analysis", _("cause analysis")
        CORRECTIVE = "corrective", _("corrective action")
        TOLD = "told", _("customer told")
        PREVENTIVE = "preventive", _("preventive action")
        VERIFIED = "verified", _("verification")

    class How(models.TextChoices):
        MAIL = "mail", _("mail")
        CALL = "call", _("call")
        MEETING = "meeting", _("meeting or visit")
        REPORT = "report", _("8D report sent")

    handling = models.ForeignKey(
        ComplaintHandling, models.CASCADE, related_name="steps", verbose_name=_("handling")
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    text = models.TextField(_("what was found or done"))
    told_on = models.DateField(_("told on"), null=True, blank=True)
    told_how = models.CharField(_("told how"), max_length=10, choices=How.choices, blank=True)
    by = user_field(_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        constraints = [
            models.UniqueConstraint(fields=["handling", "step"], name="one_complaint_step_each")
        ]

    def __str__(self) -> str:
        return f"{self.handling.complaint.number} {self.step}"


class SurveyTemplate(models.Model):
    """A satisfaction survey's questions; the active template is the one mailed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self) -> str:
        return self.name


class SurveyQuestion(models.Model):
    """One question, in both languages: a 1–5 rating or a free text."""

    class Kind(models.TextChoices):
        RATING = "rating", _("rating 1–5")
        TEXT = "text", _("free text")

    template = models.ForeignKey(
        SurveyTemplate, models.CASCADE, related_name="questions", verbose_name=_("template")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("question in English"), max_length=300)
    text_zh = models.CharField(_("question in Chinese"), max_length=300)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.RATING)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text_en


class Survey(models.Model):
    """A survey mailed about one order: a personal link (only its hash is kept) that expires
    and takes one answer."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="surveys", verbose_name=_("order")
    )
    template = models.ForeignKey(SurveyTemplate, models.PROTECT, verbose_name=_("template"))
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    rating = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self) -> str:
        return f"{self.order.code} {self.sent_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    customer_path = "survey__order__project__customer"

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="answers", verbose_name=_("survey")
    )
    question = models.ForeignKey(SurveyQuestion, models.PROTECT, verbose_name=_("question"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("answer"), blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["question__position", "pk"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.survey} {self.question_id}"


class SurveyHit(models.Model):
    """One request to the public survey page, counted for its rate limit."""

    address = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"
