"""Enquiries (projects), quotations, orders and what hangs off them, numbered from the customer.

    RK888              customer
    RK888-6            project: the 6th enquiry of RK888          (scheme `project`)
    RK888-6-Q1         its 1st quotation                          (scheme `quotation`)
    RK888-6-S1, -M1    its 1st sample and mass orders             (scheme `order`, kind S/M/P)
    RK888-6-S1         also the PI, CI and PL of that order, and its 1st complaint
    RK888-6-S1-2       the 2nd complaint about that order        (scheme `complaint`)

Every model names the path to its customer in `customer_path`: visibility follows the customer.
The states and moves of projects, quotations, orders and complaints are in workflow.py, each
with its history here (ProjectEvent …); the rules that save records in services.py.
"""

import datetime
import posixpath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet
from tracecode.codes.models import CodedModel
from tracecode.core.concurrency import Versioned
from tracecode.core.workflow import Event
from tracecode.customers.models import Customer
from tracecode.files.folders import folder_of
from tracecode.registers.models import Material, Part
from tracecode.registers.models import Supplier as SupplierRecord

from .trade import CURRENCIES, INCOTERMS, UNITS, format_money, money

MONEY = {"max_digits": 14, "decimal_places": 2}
PRICE = {"max_digits": 14, "decimal_places": 4}  # unit prices of small parts: USD 0.0235
QUANTITY = {"max_digits": 14, "decimal_places": 3}
WEIGHT = {"max_digits": 12, "decimal_places": 3}
DIMENSION = {"max_digits": 7, "decimal_places": 1}
OPTIONAL = {"null": True, "blank": True}


def user_field(verbose_name, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Project(CodedModel, Versioned):
    """An enquiry: a customer asks for a part; quotations and orders follow under its code."""

    customer_path = "customer"

    class Status(models.TextChoices):
        NEW = "new", _("new")
        QUOTING = "quoting", _("quoting")
        SAMPLING = "sampling", _("sampling")
        MASS_PRODUCTION = "mass_production", _("mass production")
        WON = "won", _("won")
        LOST = "lost", _("lost")

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        WEBSITE = "website", _("website")
        PLATFORM = "platform", _("inquiry platform")
        TRADE_SHOW = "trade_show", _("trade show")
        REFERRAL = "referral", _("referral")
        MESSENGER = "messenger", _("WhatsApp / WeChat")
        PHONE = "phone", _("phone")
        VISIT = "visit", _("visit")
        OTHER = "other", _("other")

    customer = models.ForeignKey(
        Customer, models.PROTECT, related_name="projects", verbose_name=_("customer")
    )
    name = models.CharField(
        _("project name"),
        max_length=100,
        help_text=_("The customer's part or product name, e.g. SP1003."),
    )
    received_on = models.DateField(_("enquiry received"), default=timezone.localdate)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.EMAIL
    )
    request = models.TextField(_("customer's request"), blank=True)
    part = models.ForeignKey(
        Part,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("part"),
        help_text=_("The customer's part this enquiry is about, from the register."),
    )
    target_quantity = models.DecimalField(_("target quantity"), **QUANTITY, null=True, blank=True)
    quantity_unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")
    target_price = models.DecimalField(_("target unit price"), **PRICE, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    lost_reason = models.CharField(_("reason lost"), max_length=200, blank=True)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["received_on"], name="project_received_on"),
            # The home page counts open enquiries per salesperson from the index alone.
            models.Index(fields=["status", "customer"], name="project_status"),
            # Joins from an order or quotation to its customer read the index, not the row.
            models.Index(fields=["id", "customer"], name="project_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    def get_absolute_url(self) -> str:
        return reverse("sales:project", args=[self.code])


class ProjectEvent(Event):
    """The project's history: how its status moved (quoting, sampling … won, lost)."""

    customer_path = "project__customer"

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="events", verbose_name=_("project")
    )
    from_state = models.CharField(_("from"), max_length=20, choices=Project.Status.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Project.Status.choices)

    objects = VisibleQuerySet.as_manager()

    class Meta(Event.Meta):
        verbose_name = _("project event")
        verbose_name_plural = _("project events")

    def __str__(self) -> str:
        return f"{self.project.code} {self.action} {self.at:%Y-%m-%d %H:%M}"


def project_file_path(instance, filename: str) -> str:
    """Kept for migration 0001; project files are now tracecode.files' StoredFile."""
    return posixpath.join(folder_of(instance.project), "files", filename)


class Quotation(CodedModel, Versioned):
    """A price offer for a project; each issue to the customer is kept as a revision."""

    customer_path = "project__customer"

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="quotations", verbose_name=_("project")
    )
    quoted_on = models.DateField(_("quotation date"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=INCOTERMS, default="FOB")
    incoterm_place = models.CharField(_("named place"), max_length=100, blank=True)
    lead_time = models.CharField(
        _("lead time"), max_length=100, blank=True, help_text=_("e.g. 25 days after PO")
    )
    payment_terms = models.CharField(_("payment terms"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-quoted_on", "-pk"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        indexes = [models.Index(fields=["status", "project"], name="quotation_status")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:quotation", args=[self.code])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SENT)

    @property
    def latest_revision(self):
        return self.revisions.order_by("-number").first()


class QuotationLine(models.Model):
    """One price of a quotation. Quantity tiers are consecutive lines of the same item."""

    customer_path = "quotation__project__customer"

    quotation = models.ForeignKey(
        Quotation, models.CASCADE, related_name="lines", verbose_name=_("quotation")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    part = models.ForeignKey(
        Part, models.PROTECT, null=True, blank=True, related_name="quotation_lines",
        verbose_name=_("part"),
    )  # fmt: skip
    item = models.CharField(_("item"), max_length=100)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")
    unit_price = models.DecimalField(_("unit price"), **PRICE)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quotation_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quotation_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class QuotationEvent(Event):
    """The quotation's history: sent (each revision), accepted or declined."""

    customer_path = "quotation__project__customer"

    quotation = models.ForeignKey(
        Quotation, models.CASCADE, related_name="events", verbose_name=_("quotation")
    )
    from_state = models.CharField(_("from"), max_length=10, choices=Quotation.Status.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=Quotation.Status.choices)

    objects = VisibleQuerySet.as_manager()

    class Meta(Event.Meta):
        verbose_name = _("quotation event")
        verbose_name_plural = _("quotation events")

    def __str__(self) -> str:
        return f"{self.quotation.code} {self.action} {self.at:%Y-%m-%d %H:%M}"


def quotation_revision_path(instance, filename: str) -> str:
    return posixpath.join(folder_of(instance.quotation.project), "Quotation", filename)


class QuotationRevision(models.Model):
    """What was sent to the customer: a frozen copy of the quotation and its PDF."""

    customer_path = "quotation__project__customer"

    quotation = models.ForeignKey(
        Quotation, models.CASCADE, related_name="revisions", verbose_name=_("quotation")
    )
    number = models.PositiveIntegerField(_("revision"))
    issued_on = models.DateField(_("issued"))
    snapshot = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to=quotation_revision_path, max_length=500)
    issued_by = user_field(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["quotation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["quotation", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.quotation.code} rev. {self.number}"


class OrderState(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONFIRMED = "confirmed", _("confirmed")
    IN_PRODUCTION = "in_production", _("in production")
    READY = "ready", _("ready to ship")
    SHIPPED = "shipped", _("shipped")
    ARRIVED = "arrived", _("arrived")
    RECONCILED = "reconciled", _("reconciled")
    PAID = "paid", _("paid")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


# Orders whose money is still to come in, and whose goods are still to leave the factory.
AWAITING_PAYMENT = [
    OrderState.CONFIRMED,
    OrderState.IN_PRODUCTION,
    OrderState.READY,
    OrderState.SHIPPED,
    OrderState.ARRIVED,
    OrderState.RECONCILED,
]
NOT_SHIPPED = [OrderState.CONFIRMED, OrderState.IN_PRODUCTION, OrderState.READY]
# `state IN NOT_SHIPPED` with the states written into the SQL, as the partial index
# order_to_ship's condition is: SQLite never uses a partial index for bound parameters.
NOT_SHIPPED_SQL = RawSQL(
    '"sales_order"."state" IN ({})'.format(", ".join(f"'{s.value}'" for s in NOT_SHIPPED)),
    (),
    output_field=models.BooleanField(),
)


class OrderQuerySet(VisibleQuerySet):
    def payment_overdue(self, today=None):
        """Orders whose agreed payment date has passed with a balance still open."""
        today = today or timezone.localdate()
        return self.filter(
            state__in=AWAITING_PAYMENT, payment_due_on__lt=today, total__gt=F("paid")
        )

    def to_ship(self, until):
        """Orders not shipped yet, promised by `until`."""
        return self.filter(NOT_SHIPPED_SQL, delivery_date__lte=until)

    def delivery_late(self, today=None):
        """Orders not shipped by the customer's delivery date."""
        today = today or timezone.localdate()
        return self.filter(state__in=NOT_SHIPPED, delivery_date__lt=today)


class Order(CodedModel, Versioned):
    """A sample, mass or processing (toll manufacturing) order of a project.

    Its code is also the number of its PI, CI and PL. `total` and `paid` are kept by
    services.py whenever lines or payments change, so lists can filter on the balance.
    """

    customer_path = "project__customer"
    State = OrderState

    class Kind(models.TextChoices):
        SAMPLE = "sample", _("sample order")
        MASS = "mass", _("mass order")
        PROCESSING = "processing", _("processing order")

    # The value of the `kind` field of the order scheme (RK888-6-S1, -M1, -P1).
    KIND_LETTERS = {Kind.SAMPLE: "S", Kind.MASS: "M", Kind.PROCESSING: "P"}

    project = models.ForeignKey(
        Project, models.PROTECT, related_name="orders", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    customer_po = models.CharField(_("customer's PO no."), max_length=60, blank=True)
    ordered_on = models.DateField(_("order date"), default=timezone.localdate)
    delivery_date = models.DateField(_("customer's delivery date"))
    internal_due_date = models.DateField(
        _("internal due date"),
        blank=True,
        help_text=_("Empty: the delivery date less the configured number of days."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=INCOTERMS, default="FOB")
    incoterm_place = models.CharField(_("named place"), max_length=100, blank=True)
    payment_terms = models.TextField(_("payment terms"), blank=True)
    payment_due_on = models.DateField(_("agreed payment date"), null=True, blank=True)
    packaging_requirements = models.TextField(_("packaging requirements"), blank=True)
    inspection_requirements = models.TextField(_("inspection requirements"), blank=True)
    process_requirements = models.TextField(_("process requirements"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What customs and the buyer need on PI, CI and PL.
    attention = models.ForeignKey(
        "customers.Contact", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("attention (contact)"),
    )  # fmt: skip
    consignee = models.TextField(_("consignee"), blank=True, help_text=_("Empty: the buyer."))
    notify_party = models.TextField(_("notify party"), blank=True)
    port_of_loading = models.CharField(_("port of loading"), max_length=100, blank=True)
    port_of_destination = models.CharField(_("port of destination"), max_length=100, blank=True)
    shipping_marks = models.TextField(_("shipping marks"), blank=True)

    state = models.CharField(
        _("status"), max_length=16, choices=OrderState.choices, default=OrderState.DRAFT
    )
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("B/L or tracking no."), max_length=100, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    eta_told_on = models.DateField(_("ETA told to the customer on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    from_revision = models.ForeignKey(
        QuotationRevision, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="orders", verbose_name=_("from quotation revision"),
    )  # fmt: skip

    total = models.DecimalField(_("total"), **MONEY, default=0, editable=False)
    paid = models.DecimalField(_("paid"), **MONEY, default=0, editable=False)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        # The reports (reports/figures.py) read orders by these: the month they were
        # confirmed, what is still to ship, what left when.
        indexes = [
            # The orders list's order (and its pages' ids: core/paging.py).
            models.Index(fields=["-ordered_on", "-id"], name="order_list"),
            # A salesperson's list: their projects' orders read from the index alone, then
            # sorted (page 200 of the full bench: 1.8 s walking everyone's orders, 50 ms here).
            models.Index(fields=["project", "-ordered_on", "-id"], name="order_project_list"),
            models.Index(fields=["state", "payment_due_on"]),
            # Covering: the monthly figures read these columns from the index alone.
            models.Index(
                fields=["confirmed_on", "currency", "state", "total", "project"],
                name="order_confirmed",
            ),
            models.Index(fields=["project", "confirmed_on"], name="order_project_confirmed"),
            models.Index(fields=["state", "delivery_date"], name="order_state_delivery"),
            models.Index(
                fields=["etd", "delivery_date", "state", "currency", "project"], name="order_etd"
            ),
            # The home page's orders to ship and overdue money: the open orders alone, in the
            # order shown (a salesperson's walked every order of their projects: 18 ms each at
            # the bench's 100,000 orders, 0.3 ms here). The to-ship query names the states as
            # constants (to_ship()): SQLite uses a partial index only for the same constants.
            # With the ids: PostgreSQL counts them off the index alone.
            models.Index(
                fields=["delivery_date", "code", "project", "id"],
                condition=Q(state__in=NOT_SHIPPED),
                name="order_to_ship",
            ),
            models.Index(
                fields=[
                    "payment_due_on",
                    "code",
                    "state",
                    "currency",
                    "total",
                    "paid",
                    "project",
                    "id",
                ],
                condition=Q(total__gt=F("paid")),
                name="order_owing",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sales:order", args=[self.code])

    @property
    def customer(self):
        return self.project.customer

    @property
    def balance(self):
        return money(self.total - self.paid)

    @property
    def is_processing(self) -> bool:
        return self.kind == self.Kind.PROCESSING

    @property
    def is_open(self) -> bool:
        return self.state not in (OrderState.CLOSED, OrderState.CANCELLED)

    @property
    def lines_editable(self) -> bool:
        """Quantities and prices change until production starts; then the order is fixed."""
        return self.state in (OrderState.DRAFT, OrderState.CONFIRMED)

    @property
    def is_payment_overdue(self) -> bool:
        return (
            self.state in AWAITING_PAYMENT
            and self.payment_due_on is not None
            and self.payment_due_on < timezone.localdate()
            and self.total > self.paid
        )

    @property
    def is_delivery_late(self) -> bool:
        return self.state in NOT_SHIPPED and self.delivery_date < timezone.localdate()

    def amount_text(self, amount) -> str:
        return format_money(amount, self.currency)

    def stamp(self) -> None:
        """What every save fills in (bulk_create skips save(): its callers stamp first): an
        empty internal due date, from the delivery date."""
        if self.internal_due_date is None:
            self.internal_due_date = default_internal_due_date(self.ordered_on, self.delivery_date)

    def save(self, *args, **kwargs):
        self.stamp()
        super().save(*args, **kwargs)


def default_internal_due_date(ordered_on, delivery_date):
    """The customer's delivery date less INTERNAL_DUE_DAYS, but never before the order date."""
    if delivery_date is None:
        return None
    due = delivery_date - datetime.timedelta(days=settings.INTERNAL_DUE_DAYS)
    return max(due, ordered_on) if ordered_on else due


def order_date_problems(values: dict) -> dict[str, str]:
    """The date rules of an order, by field: what makes no sense in `values`."""
    problems = {}
    ordered, delivery = values.get("ordered_on"), values.get("delivery_date")
    due, payment_due = values.get("internal_due_date"), values.get("payment_due_on")
    etd, eta, arrived = values.get("etd"), values.get("eta"), values.get("arrived_on")
    if ordered and delivery and delivery <= ordered:
        problems["delivery_date"] = _("The delivery date must be after the order date.")
    if due and delivery and due > delivery:
        problems["internal_due_date"] = _(
            "The internal due date cannot be after the customer's delivery date."
        )
    elif due and ordered and due < ordered:
        problems["internal_due_date"] = _("The internal due date cannot be before the order date.")
    if payment_due and ordered and payment_due < ordered:
        problems["payment_due_on"] = _("The payment date cannot be before the order date.")
    if etd and eta and eta <= etd:
        problems["eta"] = _("The ETA must be after the ETD.")
    if etd and ordered and etd < ordered:
        problems["etd"] = _("The ETD cannot be before the order date.")
    if arrived and etd and arrived < etd:
        problems["arrived_on"] = _("The goods cannot arrive before they left (ETD).")
    return problems


class OrderLine(models.Model):
    """One item of an order; packing figures are for the packing list."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(Order, models.CASCADE, related_name="lines", verbose_name=_("order"))
    position = models.PositiveIntegerField(_("position"), default=0)
    part = models.ForeignKey(
        Part, models.PROTECT, null=True, blank=True, related_name="order_lines",
        verbose_name=_("part"),
    )  # fmt: skip
    part_number = models.CharField(_("part number"), max_length=100)
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")
    unit_price = models.DecimalField(_("unit price"), **PRICE)
    cartons = models.PositiveIntegerField(_("cartons"), null=True, blank=True)
    net_weight = models.DecimalField(_("net weight (kg)"), **WEIGHT, null=True, blank=True)
    gross_weight = models.DecimalField(_("gross weight (kg)"), **WEIGHT, null=True, blank=True)
    hs_code = models.CharField(
        _("HS code"), max_length=12, blank=True, help_text=_("Empty: the part's HS code.")
    )
    origin = models.CharField(
        _("country of origin"), max_length=2, blank=True, help_text=_("Empty: the part's origin.")
    )
    carton_length = models.DecimalField(_("carton length (cm)"), **DIMENSION, **OPTIONAL)
    carton_width = models.DecimalField(_("carton width (cm)"), **DIMENSION, **OPTIONAL)
    carton_height = models.DecimalField(_("carton height (cm)"), **DIMENSION, **OPTIONAL)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} × {self.quantity}"

    @property
    def amount(self):
        return money(self.quantity * self.unit_price)


class OrderEvent(Event):
    """The order's timeline: every move of the workflow and what was done on the way."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(Order, models.CASCADE, related_name="events", verbose_name=_("order"))
    from_state = models.CharField(_("from"), max_length=16, choices=OrderState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=OrderState.choices)

    objects = VisibleQuerySet.as_manager()

    class Meta(Event.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order.code} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Checkpoint(models.Model):
    """A step that must be done before the order may move on (see workflow.CHECKPOINTS)."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="checkpoints", verbose_name=_("order")
    )
    name = models.CharField(_("checkpoint"), max_length=30)
    done_on = models.DateField(_("done on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_by = user_field(_("done by"))
    done_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "name"], name="one_checkpoint_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.order.code} {self.name}"


class Payment(models.Model):
    """Money received for an order, in the order's currency; partial payments add up."""

    customer_path = "order__project__customer"

    class Method(models.TextChoices):
        TT = "tt", _("bank transfer (T/T)")
        LC = "lc", _("letter of credit (L/C)")
        PAYPAL = "paypal", _("PayPal")
        WESTERN_UNION = "western_union", _("Western Union")
        CASH = "cash", _("cash")
        OTHER = "other", _("other")

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="payments", verbose_name=_("order")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default="tt")
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = user_field(_("recorded by"))
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["received_on"], name="payment_received_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order.code} {self.amount}"


def document_path(instance, filename: str) -> str:
    return posixpath.join(folder_of(instance.order), instance.kind, filename)


class Document(models.Model):
    """One generation of a PI, CI or PL: its number is the order's code; versions are kept."""

    customer_path = "order__project__customer"

    class Kind(models.TextChoices):
        PI = "PI", _("proforma invoice (PI)")
        CI = "CI", _("commercial invoice (CI)")
        PL = "PL", _("packing list (PL)")

    order = models.ForeignKey(
        Order, models.PROTECT, related_name="documents", verbose_name=_("order")
    )
    kind = models.CharField(_("document"), max_length=2, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    issued_on = models.DateField(_("date"), default=timezone.localdate)
    pdf = models.FileField(_("PDF"), upload_to=document_path, max_length=500)
    xlsx = models.FileField(_("Excel"), upload_to=document_path, max_length=500)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "kind", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "version"], name="one_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number} v{self.version}"

    @property
    def number(self) -> str:
        """PI, CI and PL carry the order's own number."""
        return self.order.code


# PI first, then CI, then PL: the order in which they are made and sent.
DOCUMENT_ORDER = models.Case(
    models.When(kind="PI", then=models.Value(0)),
    models.When(kind="CI", then=models.Value(1)),
    default=models.Value(2),
)


class Complaint(models.Model):
    """A customer's complaint about an order.

    Numbering: the first complaint about an order carries the order's own code (the seed
    says complaint numbers are the order's), so it takes no new entry in the code registry;
    the 2nd, 3rd … are given by the `complaint` scheme under the order's code
    (RK888-6-S1-2, -3) and are registered. Complaint is not a CodedModel because its first
    number is already used in the registry by the order: `number` is unique among complaints
    only, and `code` mirrors it (a generated column) so the registry's lookups, which ask
    every coded record type for its `code`, find complaints too.
    """

    customer_path = "order__project__customer"

    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        MAJOR = "major", _("major")
        CRITICAL = "critical", _("critical")

    class State(models.TextChoices):
        # The 8D steps between (analysis, corrective action, customer told, prevention and
        # verification) become states of their own here; workflow.COMPLAINT moves them.
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Cause(models.TextChoices):
        """Where the root cause lay (the factory's 5M1E, plus what leaves the factory)."""

        OPERATOR = "operator", _("operator (people)")
        MACHINE = "machine", _("machine or tooling")
        MATERIAL = "material", _("material")
        PROCESS = "process", _("process or method")
        INSPECTION = "inspection", _("measurement or inspection")
        ENVIRONMENT = "environment", _("environment")
        DESIGN = "design", _("drawing or specification")
        PACKAGING = "packaging", _("packaging or transport")
        SUPPLIER = "supplier", _("supplier")
        OTHER = "other", _("other")

    number = models.CharField(_("complaint no."), max_length=40, unique=True, editable=False)
    code = models.GeneratedField(
        expression=F("number"), output_field=models.CharField(max_length=40), db_persist=True
    )
    order = models.ForeignKey(
        Order, models.PROTECT, related_name="complaints", verbose_name=_("order")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR
    )
    content = models.TextField(_("what the customer reports"))
    quantity_affected = models.DecimalField(
        _("quantity affected"), **QUANTITY, null=True, blank=True
    )
    cause_analysis = models.TextField(_("cause analysis"), blank=True)
    cause = models.CharField(
        _("cause"),
        max_length=12,
        choices=Cause.choices,
        blank=True,
        help_text=_("The class of the root cause, for the complaint statistics."),
    )
    corrective_action = models.TextField(_("corrective action"), blank=True)
    result = models.TextField(_("result told to the customer"), blank=True)
    result_told_on = models.DateField(_("result told on"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.OPEN, editable=False
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = user_field(_("closed by"))
    created_by = user_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["received_on"], name="complaint_received_on")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("sales:complaint", args=[self.number])

    @property
    def is_open(self) -> bool:
        return self.state != self.State.CLOSED


class ComplaintEvent(Event):
    """The complaint's history: recorded, closed, reopened."""

    customer_path = "complaint__order__project__customer"

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="events", verbose_name=_("complaint")
    )
    from_state = models.CharField(_("from"), max_length=20, choices=Complaint.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Complaint.State.choices)

    objects = VisibleQuerySet.as_manager()

    class Meta(Event.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint.number} {self.action} {self.at:%Y-%m-%d %H:%M}"


class BomLine(models.Model):
    """A line of the customer's bill of materials for a processing order."""

    customer_path = "order__project__customer"

    class Supplier(models.TextChoices):
        CUSTOMER = "customer", _("customer-supplied")
        FACTORY = "factory", _("bought by us")

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="bom_lines", verbose_name=_("order")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    part_number = models.CharField(_("part number"), max_length=100)
    material = models.ForeignKey(
        Material, models.PROTECT, null=True, blank=True, related_name="bom_lines",
        verbose_name=_("material"), help_text=_("Its code in the material register."),
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity_per_unit = models.DecimalField(_("quantity per unit"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")
    supplied_by = models.CharField(
        _("supplied by"), max_length=10, choices=Supplier.choices, default=Supplier.CUSTOMER
    )
    supplier = models.ForeignKey(
        SupplierRecord, models.PROTECT, null=True, blank=True, related_name="bom_lines",
        verbose_name=_("bought from"),
    )  # fmt: skip

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("BOM line")
        verbose_name_plural = _("BOM lines")

    def __str__(self) -> str:
        return self.part_number


class MaterialLot(models.Model):
    """A lot of customer-supplied material and its incoming inspection (IQC)."""

    customer_path = "order__project__customer"

    class Result(models.TextChoices):
        PENDING = "pending", _("waiting for IQC")
        PASSED = "passed", _("passed")
        CONCESSION = "concession", _("accepted on concession")
        REJECTED = "rejected", _("rejected")

    ACCEPTED = (Result.PASSED, Result.CONCESSION)

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="material_lots", verbose_name=_("order")
    )
    bom_line = models.ForeignKey(
        BomLine, models.PROTECT, related_name="lots", verbose_name=_("material")
    )
    lot_number = models.CharField(_("lot no."), max_length=60)
    supplier = models.ForeignKey(
        SupplierRecord, models.PROTECT, null=True, blank=True, related_name="lots",
        verbose_name=_("delivered by"),
    )  # fmt: skip
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    result = models.CharField(
        _("IQC result"), max_length=12, choices=Result.choices, default=Result.PENDING
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspection_note = models.CharField(_("IQC note"), max_length=300, blank=True)
    inspected_by = user_field(_("inspected by"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("material lot")
        verbose_name_plural = _("material lots")

    def __str__(self) -> str:
        return f"{self.bom_line.part_number} lot {self.lot_number}"


class RepairRecord(models.Model):
    """After-sales repair of goods of a processing order, sent back by the customer."""

    customer_path = "order__project__customer"

    order = models.ForeignKey(
        Order, models.CASCADE, related_name="repairs", verbose_name=_("order")
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    fault = models.TextField(_("fault"))
    repair = models.TextField(_("repair done"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    recorded_by = user_field(_("recorded by"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("repair record")
        verbose_name_plural = _("repair records")

    def __str__(self) -> str:
        return f"{self.order.code} repair {self.received_on}"
