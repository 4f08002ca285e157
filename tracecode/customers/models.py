"""The customer archive: the Customer Information Sheet (SPEC §3) and its records.

A customer's code is given once, at creation, by the `customer` scheme; its contacts take
theirs from the `contact` scheme (customer code + serial). Figures that follow from sales
records (quotes, first quotation and cooperation, orders per year) are never stored here:
the sales app provides them (see figures.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.codes.models import CodedModel
from tracecode.core.concurrency import Versioned

from .duplicates import company_key


def home_country() -> str:
    """The country whose customers are domestic (ISO alpha-2)."""
    return getattr(settings, "HOME_COUNTRY", "CN")


class ListEntry(models.Model):
    """One value of a list an administrator extends in the admin site (industries, sources …)."""

    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_(
            "A short key. When the customer coding scheme uses this list, it must be one of "
            "the values of the scheme's table (e.g. 01)."
        ),
    )
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Unticked: kept on old records, not offered.")
    )

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        if self.name_zh and (get_language() or "").startswith("zh"):
            return self.name_zh
        return self.name


class Industry(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class CustomerSource(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("customer source")
        verbose_name_plural = _("customer sources")


class Background(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("client background")
        verbose_name_plural = _("client backgrounds")


class BusinessStatus(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("business status")
        verbose_name_plural = _("business statuses")


class ContributionClass(models.TextChoices):
    # xgettext:no-python-format
    A = "A", _("A: top contributors (about 80% of sales)")
    B = "B", _("B: middle contributors")
    C = "C", _("C: small contributors")


class LoyaltyLevel(models.IntegerChoices):
    STABLE = 1, _("1: stable demand, long cooperation, loyal")
    REGULAR = 2, _("2: regular")
    OCCASIONAL = 3, _("3: new or occasional")


class CreditLevel(models.TextChoices):
    A = "A", _("A: excellent, open account")
    B = "B", _("B: good")
    C = "C", _("C: watch, deposit required")
    D = "D", _("D: poor, prepayment only")


SATISFACTION_CHOICES = [(n, str(n)) for n in range(1, 6)]


# Customer fields that only customers/standing.py writes.
KEPT_FIGURES = frozenset(
    {"value_12m", "confirmed_orders", "orders_per_year", "computed_class", "last_contact_on",
     "contacts_per_month", "contact_figures", "balances"}
)  # fmt: skip


class Customer(CodedModel, Versioned):
    """A customer: its code, given once at creation, is its identity card."""

    customer_path = ""
    # Fields a `customer` coding scheme may use by their own name (`{region}`, `{city:initials:2}`
    # …). Any other field a scheme names is asked for at creation and kept in `code_values`.
    coding_fields = (
        "region", "province", "city", "country", "size", "industry", "source", "background",
    )  # fmt: skip

    # Basic information
    company_name = models.CharField(_("company name"), max_length=200)
    email = models.EmailField(_("company email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    province = models.CharField(_("province or state"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    region = models.CharField(_("sales region"), max_length=40, blank=True)
    industry = models.ForeignKey(
        Industry, models.PROTECT, null=True, blank=True, verbose_name=_("product industry")
    )
    background = models.ForeignKey(
        Background, models.PROTECT, null=True, blank=True, verbose_name=_("client background")
    )
    size = models.CharField(_("company size"), max_length=20, blank=True)
    main_products = models.TextField(_("main products"), blank=True)
    source = models.ForeignKey(
        CustomerSource, models.PROTECT, null=True, blank=True, verbose_name=_("customer source")
    )
    code_values = models.JSONField(_("other coding values"), default=dict, blank=True)

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

    # Business follow-up
    status = models.ForeignKey(
        BusinessStatus, models.PROTECT, null=True, blank=True, verbose_name=_("business status")
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True, db_index=True)

    # Cooperation
    nda_signed = models.BooleanField(_("NDA signed"), default=False)
    nda_date = models.DateField(_("NDA date"), null=True, blank=True)
    # The client's requirements; sales orders are prefilled from them.
    packaging_requirements = models.TextField(_("packaging requirements"), blank=True)
    inspection_requirements = models.TextField(_("inspection requirements"), blank=True)
    payment_requirements = models.TextField(_("payment requirements"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("client satisfaction"), null=True, blank=True, choices=SATISFACTION_CHOICES
    )
    remark = models.TextField(_("remark"), blank=True)

    # Classification and credit
    is_key_account = models.BooleanField(_("key account"), default=False)
    loyalty_level = models.PositiveSmallIntegerField(
        _("loyalty level"), null=True, blank=True, choices=LoyaltyLevel.choices
    )
    class_override = models.CharField(
        _("A/B/C class set by hand"), max_length=1, blank=True, choices=ContributionClass.choices
    )
    class_override_reason = models.CharField(
        _("reason for the A/B/C class"), max_length=200, blank=True
    )
    credit_level = models.CharField(
        _("credit level"), max_length=1, blank=True, choices=CreditLevel.choices
    )
    credit_limit = models.DecimalField(
        _("credit limit"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    # Kept figures (customers/standing.py brings them up to date when their records change)
    value_12m = models.DecimalField(
        _("order value, last 12 months"), max_digits=16, decimal_places=2, default=0,
        editable=False,
    )  # fmt: skip
    confirmed_orders = models.PositiveIntegerField(_("confirmed orders"), default=0, editable=False)
    orders_per_year = models.JSONField(
        _("orders per year"), default=dict, blank=True, editable=False
    )  # {"2025": 3, …}: confirmed orders by the year of their confirmation
    computed_class = models.CharField(
        _("A/B/C class computed"), max_length=1, blank=True, editable=False,
        choices=ContributionClass.choices,
    )  # fmt: skip
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True, editable=False)
    contacts_per_month = models.DecimalField(
        _("communication per month"), max_digits=8, decimal_places=1, default=0, editable=False,
        help_text=_("average of the last three months"),
    )  # fmt: skip
    # {"as_of": "2026-12-05", "months": {"2026-07": 3, …} (the last six), "counted": {"mail": 5,
    # "chat": 2, "log": 1} (every contact kind), "last_in": "2026-11-30", "last_out": …}
    contact_figures = models.JSONField(
        _("contacts counted"), default=dict, blank=True, editable=False
    )
    # {"USD": ["1200.00", "50.00"]}: per currency, what its confirmed orders owe and its credit
    balances = models.JSONField(_("balances"), default=dict, blank=True, editable=False)

    # Bookkeeping
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # The list's sort orders (customers/services.py SORTS), so a page is read off an index.
        indexes = [
            # Codes sort as numbers do where they share a prefix (SORTS["code"]).
            models.Index(Length("code"), "code", name="customer_code_order"),
            models.Index(fields=["last_contact_on", "code"], name="customer_last_contact"),
            models.Index(fields=["created_at", "code"], name="customer_created"),
            models.Index(fields=["name_key", "code"], name="customer_name_key"),
            models.Index(fields=["owner", "code"], name="customer_owner"),
            # A salesperson's customers' ids read off the index alone (the visible customers of
            # every search and list): on PostgreSQL 900 ids in 0.1 ms, where the owner's index
            # then the heap's 218 pages took 0.6 ms. (SQLite's index on the owner holds the
            # rowid already: there this one adds nothing but a write.)
            models.Index(fields=["owner", "id"], name="customer_owner_ids"),
            # Joins from a project to its owner read the index, not the (wide) row.
            models.Index(fields=["id", "owner"], name="customer_id_owner"),
            models.Index(fields=["computed_class", "class_override"], name="customer_class"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.company_name}"

    def stamp(self) -> None:
        """What every save writes besides the fields given (bulk_create skips save(): its
        callers stamp first): the company key duplicates and sorting read, the time."""
        self.name_key = company_key(self.company_name)
        self.updated_at = timezone.now()

    def save(self, *args, **kwargs):
        self.stamp()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "updated_at"}
        elif not self._state.adding and not kwargs.get("force_insert"):
            # The kept figures are written by customers/standing.py alone: an edit of a sheet
            # loaded before an order came in must not put back the figures it read.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in KEPT_FIGURES
            ]  # fmt: skip
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", args=[self.code])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_domestic(self) -> bool | None:
        """Domestic or international, from the country (None while the country is unknown)."""
        if not self.country:
            return None
        return self.country == home_country()

    @property
    def contribution_class(self) -> str:
        """A, B, C or "": set by hand, else the kept computed class."""
        return self.class_override or self.computed_class

    @property
    def main_contact(self):
        return next((c for c in self.contacts.all() if c.is_main), None)


class ClassRanking(models.Model):
    """When the computed A/B/C classes were last ranked over all customers (one row)."""

    day = models.DateField(_("ranked for"))  # the twelve months end on this day
    ranked_at = models.DateTimeField(_("ranked at"))

    class Meta:
        verbose_name = _("A/B/C ranking")

    def __str__(self) -> str:
        return f"{self.day} ({self.ranked_at:%Y-%m-%d %H:%M})"


class CustomerShare(models.Model):
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "user"], name="one_share_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.customer.code} → {self.user}"


class Contact(CodedModel, Versioned):
    """A person at the customer; the code is the customer's code plus a serial (RK888-C01)."""

    customer_path = "customer"

    customer = models.ForeignKey(
        Customer, models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=120)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    skype = models.CharField(_("Skype"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_main = models.BooleanField(_("main contact"), default=False, editable=False)
    left_company = models.BooleanField(_("no longer at the company"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-is_main", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(is_main=True), name="one_main_contact"
            )
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MainContactChange(models.Model):
    """The main contact person changed: from whom to whom, when, and who recorded it."""

    customer_path = "customer"

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="main_contact_changes")
    previous = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="+")
    new = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="+")
    # Names as they were, so the history reads the same after a contact is renamed or removed.
    previous_name = models.CharField(max_length=120, blank=True)
    new_name = models.CharField(max_length=120, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.previous_name or '—'} → {self.new_name}"


class Channel(models.TextChoices):
    MAIL = "mail", _("Mail")
    CALL = "call", _("Call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WECHAT = "wechat", _("WeChat")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")


class Direction(models.TextChoices):
    INCOMING = "in", _("From the customer")
    OUTGOING = "out", _("To the customer")


class Communication(models.Model):
    """One entry of the communication log: a mail, call, chat, meeting or visit."""

    customer_path = "customer"

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="communications")
    contact = models.ForeignKey(
        Contact,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="communications",
        verbose_name=_("contact"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        verbose_name = _("communication")
        verbose_name_plural = _("communication log")

    def __str__(self) -> str:
        return f"{self.date} {self.get_channel_display()} {self.summary[:40]}"


class ChangeRecord(models.Model):
    """One line of a customer's history: who changed what, when, from which value to which.

    Values are kept raw (a list entry's code, a country code, a date in ISO form) and shown in
    the reader's language (see history.py).
    """

    class Action(models.TextChoices):
        CREATED = "created", _("new record")
        CHANGED = "changed", _("changed")
        ARCHIVED = "archived", _("archived")
        RESTORED = "restored", _("restored")
        IMPORTED = "imported", _("imported from")

    customer_path = "customer"

    customer = models.ForeignKey(Customer, models.CASCADE, related_name="changes")
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=60)  # the code of what changed: customer or contact
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.CHANGED)
    field = models.CharField(max_length=60, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    # The version of the customer or contact this change produced: a refused stale save shows
    # the changes made since the version the user started from.
    version = models.PositiveIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.field}: {self.old_value} → {self.new_value}"
