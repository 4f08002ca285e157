"""The registers: parts (products), materials and suppliers, each coded by its scheme.

    01-04-001      a part of a customer: its drawing, material, HS code and origin  (`product`)
    01.01.00001    a material: class 01, subclass 01.01, serial 00001                 (`material`)
    S1101010001    a supplier: S, region 110101, serial 0001                          (`supplier`)

A part belongs to a customer and is seen by whoever sees the customer (`customer_path`).
Materials and suppliers belong to no customer: every active member of staff reads them, and
only users with the *keep registers* permission change them (`RegisterQuerySet`). Codes are
given once, at creation, and never change; neither do the values a code is built from.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.visibility import VisibleQuerySet, customer_q
from tracecode.codes.models import CodedModel
from tracecode.core.concurrency import Versioned
from tracecode.core.trade import UNITS
from tracecode.customers.models import Customer

PERMISSION = "registers.keep_registers"


def keeps_registers(user) -> bool:
    """Whether `user` may change materials and suppliers: the *keep registers* permission
    (administrators have every permission), never a viewer."""
    return bool(
        user is not None and user.is_authenticated and user.can_write and user.has_perm(PERMISSION)
    )


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


class RegisterQuerySet(models.QuerySet):
    """Staff-wide records: every active member of staff reads them; register keepers change them."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self

    def editable_by(self, user):
        return self if keeps_registers(user) else self.none()


class CodedRecord(CodedModel, Versioned):
    """What the three registers share: a code from a scheme, the values it was built from,
    whether it is still in use, who created it and when."""

    # The scheme's placeholders a register fills from its own fields ({subclass} → subclass);
    # any other placeholder is asked for at creation and kept in `code_values`.
    coding_fields: dict[str, str] = {}
    scheme_name = ""

    code_values = models.JSONField(_("other coding values"), default=dict, blank=True)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Unticked: kept with its code, no longer offered.")
    )
    notes = models.TextField(_("notes"), blank=True)
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

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


# --- materials ------------------------------------------------------------------------------


class MaterialClass(models.Model):
    """A first-level material class (01 raw material … 10 other); an administrator adds more.

    Its subclasses are the values of the material scheme's `subclass` table that start with
    its code ("01.01", "01.02" …), so class and subclass can never disagree with the code.
    """

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("material class")
        verbose_name_plural = _("material classes")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_zh if self.name_zh and _chinese() else self.name


class Material(CodedRecord):
    """A material, component, outsourced process or jig, with its full name beside its code."""

    coding_fields = {"subclass": "subclass", "class": "material_class"}
    scheme_name = "material"

    material_class = models.CharField(_("class"), max_length=10, db_index=True)
    subclass = models.CharField(_("subclass"), max_length=20, blank=True, db_index=True)
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("The specific material: CPIDE131218DA1, RC0402JR-07910K, 钢片 870-2C9615A …"),
    )
    specification = models.TextField(_("specification"), blank=True)
    manufacturer = models.CharField(_("manufacturer or brand"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        permissions = [("keep_registers", _("Can keep the registers of materials and suppliers"))]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("registers:material", args=[self.code])


# --- suppliers ------------------------------------------------------------------------------


class Supplier(CodedRecord):
    """A supplier of materials and outsourced processes (class 04 …), with its contacts."""

    coding_fields = {"region": "region"}
    scheme_name = "supplier"

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(
        _("region code"),
        max_length=20,
        blank=True,
        help_text=_("The administrative region code (110101 Beijing Dongcheng, 440300 Shenzhen)."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    materials = models.ManyToManyField(
        Material, blank=True, related_name="suppliers", verbose_name=_("materials supplied")
    )
    subclasses = models.JSONField(
        _("what it supplies"),
        default=list,
        blank=True,
        help_text=_("Subclasses of material or outsourced processing (04.01 drilling …)."),
    )

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("registers:supplier", args=[self.code])

    @property
    def is_domestic(self) -> bool | None:
        if not self.country:
            return None
        return self.country == getattr(settings, "HOME_COUNTRY", "CN")


class SupplierContact(models.Model):
    """A person at a supplier."""

    supplier = models.ForeignKey(
        Supplier, models.CASCADE, related_name="contacts", verbose_name=_("supplier")
    )
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=120)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")

    def __str__(self) -> str:
        return self.name


# --- parts ----------------------------------------------------------------------------------

HS_CODE = re.compile(r"\d{6}(\d{2}){0,2}")


def hs_code_display(digits: str) -> str:
    """`84819000` → `8481.90.00`, the way customs documents print it."""
    if not digits:
        return ""
    return ".".join([digits[:4], *(digits[i : i + 2] for i in range(4, len(digits), 2))])


class Part(CodedRecord):
    """A customer's part (product): their part number and name beside our code, what it is
    made of and how, and what the trade documents need (HS code, origin)."""

    customer_path = "customer"
    coding_fields = {"category": "category", "type": "part_type"}
    scheme_name = "product"

    customer = models.ForeignKey(
        Customer, models.PROTECT, related_name="parts", verbose_name=_("customer")
    )
    customer_part_number = models.CharField(
        _("customer's part number"), max_length=100, help_text=_("e.g. SP1003")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. MB-200 manifold block"))
    category = models.CharField(_("category"), max_length=10, blank=True)
    part_type = models.CharField(_("type"), max_length=10, blank=True)
    drawing_revision = models.CharField(_("drawing revision"), max_length=20, blank=True)
    material = models.ForeignKey(
        Material,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("material (register)"),
    )
    material_spec = models.CharField(
        _("material"), max_length=200, blank=True, help_text=_("As the drawing names it.")
    )
    process = models.CharField(_("process"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=UNITS, default="pcs")
    hs_code = models.CharField(
        _("HS code"), max_length=10, blank=True, help_text=_("6 to 10 digits: 8481.90.00.")
    )
    origin = models.CharField(_("country of origin"), max_length=2, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["customer__code", "customer_part_number"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [
            models.UniqueConstraint(
                Lower("customer_part_number"), "customer", name="one_part_number_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.customer_part_number}"

    def get_absolute_url(self) -> str:
        return reverse("registers:part", args=[self.code])

    @property
    def hs_code_display(self) -> str:
        return hs_code_display(self.hs_code)

    @property
    def title(self) -> str:
        """`SP1003 · MB-200 manifold block`."""
        return (
            f"{self.customer_part_number} · {self.name}" if self.name else self.customer_part_number
        )


# --- history --------------------------------------------------------------------------------


class RegisterChangeQuerySet(models.QuerySet):
    """Changes of parts follow their customer; changes of materials and suppliers are staff-wide."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(Q(customer__isnull=True) | customer_q(user, self.model, "customer"))


class RegisterChange(models.Model):
    """One line of a register record's history: who changed what, when, from what to what."""

    class Action(models.TextChoices):
        CREATED = "created", _("new record")
        CHANGED = "changed", _("changed")
        IMPORTED = "imported", _("imported from")

    customer_path = "customer"

    record_type = models.CharField(max_length=20)  # part, material, supplier
    code = models.CharField(max_length=40, db_index=True)
    customer = models.ForeignKey(Customer, models.CASCADE, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.CHANGED)
    field = models.CharField(max_length=60, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    objects = RegisterChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.field}: {self.old_value} → {self.new_value}"
