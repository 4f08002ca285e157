"""The rules of the registers, one function per rule: the pages, the API, the admin site and
the demo create and change parts, materials and suppliers through these.

A record is checked completely before its code is given, so bad input never uses up a
number; the code and the values it was built from never change afterwards. Every change is
one line per field in the record's history (`RegisterChange`).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracecode.codes import core, registry
from tracecode.codes.services import create_with_code
from tracecode.core.concurrency import save_versioned
from tracecode.customers.countries import is_country
from tracecode.search import index

from . import classes, coding, labels
from .history import snapshot
from .models import (
    HS_CODE,
    Material,
    MaterialClass,
    Part,
    RegisterChange,
    Supplier,
    SupplierContact,
)

RECORD_TYPES = {Part: "part", Material: "material", Supplier: "supplier"}
CONTACT_FIELDS = ["name", "job_title", "phone", "email", "wechat"]


def _fields_of(model, skip=()) -> list[str]:
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and f.name not in {"id", "code", "version", *skip}
    ]
    return names + [f.name for f in model._meta.many_to_many]


# What the history follows on each register.
TRACKED = {
    Part: _fields_of(Part, skip={"customer"}),
    Material: _fields_of(Material),
    Supplier: [*_fields_of(Supplier), "contacts"],
}


def _user(user):
    return user if user is not None and user.pk else None


# History -----------------------------------------------------------------------------------


def _record(record, action, *, user, field="", old="", new=""):
    return RegisterChange.objects.create(
        record_type=RECORD_TYPES[type(record)],
        code=record.code,
        customer_id=getattr(record, "customer_id", None),
        action=action,
        field=field,
        old_value=old,
        new_value=new,
        version=record.version,
        changed_by=_user(user),
    )


def record_import(record, *, user, source: str) -> RegisterChange:
    """An import created or changed the record: its history says from which file."""
    return _record(record, RegisterChange.Action.IMPORTED, user=user, new=source)


def record_changes(record, before: dict, after: dict, *, user) -> list[RegisterChange]:
    """One history line per field whose value changed."""
    rows = [
        RegisterChange(
            record_type=RECORD_TYPES[type(record)],
            code=record.code,
            customer_id=getattr(record, "customer_id", None),
            field=name,
            old_value=before.get(name, ""),
            new_value=value,
            version=record.version,
            changed_by=_user(user),
        )
        for name, value in after.items()
        if before.get(name, "") != value
    ]
    return RegisterChange.objects.bulk_create(rows)


def history_of(record, user):
    """The changes of a record the user may see, newest first."""
    return (
        RegisterChange.objects.visible_to(user)
        .filter(record_type=RECORD_TYPES[type(record)], code=record.code)
        .select_related("changed_by")
    )


# Coding ------------------------------------------------------------------------------------


def code_values(record, sch) -> dict[str, str]:
    """The values `record`'s code is built from, checked and made canonical (`s110101` →
    `S110101`); a missing or unfitting one is a ValidationError on its field."""
    values = coding.values_for(record, sch)
    missing = {
        _field_of(record, name): [_("Required: it is part of the code.")]
        for name, value in values.items()
        if not value.strip()
    }
    if missing:
        raise ValidationError(missing)
    for name, value in values.items():
        table = sch.tables.get(name)
        if table and value not in table:
            raise ValidationError(
                {
                    _field_of(record, name): [
                        _("%(value)s is not one of the scheme's values: %(known)s.")
                        % {"value": value, "known": ", ".join(table)}
                    ]
                }
            )
    try:
        given = sch.normalise(core.Values(fields=values, date=timezone.localdate()))
    except core.ValueProblem as problem:
        field = _field_of(record, problem.field) if problem.field in values else "__all__"
        raise ValidationError({field: [str(problem)]}) from None
    for name, attribute in record.coding_fields.items():
        if name in given.fields:
            setattr(record, attribute, given.fields[name])
    return dict(given.fields)


def _field_of(record, name: str) -> str:
    """The form field a scheme placeholder is typed in: the record's own, or `code_<name>`."""
    return record.coding_fields.get(name) or f"code_{name}"


def _create(record, *, user):
    """Give `record` the next code of its register's scheme and save it, with a history line.

    Raises ValidationError (by field) when a value the code is built from is missing or
    wrong, and CodingError when the scheme cannot give the code; then nothing is saved.
    """
    sch = coding.scheme(record.scheme_name)
    extra = set(coding.extra_fields(sch, type(record)))
    record.code_values = {k: v for k, v in (record.code_values or {}).items() if k in extra}
    fields = code_values(record, sch)
    record.created_by = _user(user)
    with transaction.atomic():
        create_with_code(record, record.scheme_name, user=_user(user), fields=fields)
        _record(record, RegisterChange.Action.CREATED, user=user, new=str(record))
    return record


def coding_names(record) -> set[str]:
    """The fields of `record` its code was built from: they never change."""
    return set(record.coding_fields.values()) | {"code", "code_values"}


def _update(record, *, user, expected_version: int, fields, related=None, also=()):
    """Save the edited fields if nobody saved in between (else StaleEdit), with history.

    `related` saves what is not a column (a supplier's materials and contacts) in the same
    transaction; `also` names those for the history.
    """
    frozen = coding_names(record)
    if changed := [f for f in fields if f in frozen and _differs(record, f)]:
        raise ValidationError(
            {
                name: [
                    _("%(field)s is part of the code %(code)s and never changes.")
                    % {"field": name, "code": record.code}
                ]
                for name in changed
            }
        )
    model = type(record)
    many = {m.name for m in model._meta.many_to_many}
    fields = [f for f in fields if f not in frozen and f != "version"]
    tracked = [f for f in TRACKED[model] if f in fields or f in also]
    with transaction.atomic():
        stored = model._base_manager.select_for_update().get(pk=record.pk)
        before = snapshot(stored, tracked)
        save_versioned(record, expected_version, fields=[f for f in fields if f not in many])
        if related is not None:
            related()
        return record_changes(record, before, snapshot(record, tracked), user=user)


def _differs(record, name: str) -> bool:
    stored = type(record)._base_manager.filter(pk=record.pk).values_list(name, flat=True).first()
    return stored != getattr(record, name)


# Materials ---------------------------------------------------------------------------------


def material_scheme():
    return coding.scheme("material")


def subclasses(material_class: str = "") -> list[tuple[str, str]]:
    """The subclasses of the material scheme (of one class), as (value, label)."""
    choices = coding.table_choices(material_scheme(), "subclass") or []
    return [(v, label) for v, label in choices if not material_class or belongs(v, material_class)]


def belongs(subclass: str, material_class: str) -> bool:
    """Whether a subclass (`01.02`) belongs to a class (`01`)."""
    head = subclass.split(".", 1)[0] if "." in subclass else subclass[: len(material_class)]
    return head == material_class


def check_material(material: Material) -> None:
    """The subclass is one of the scheme's, the class exists and the subclass belongs to it.

    A subclass may be given within its class (`01` in class `01` is `01.01`); a class left
    empty is the subclass's. Raises ValidationError by field.
    """
    classes.ensure()
    table = material_scheme().tables.get("subclass") or {}
    sub, cls = (material.subclass or "").strip(), (material.material_class or "").strip()
    if table and sub and sub not in table and cls and f"{cls}.{sub}" in table:
        sub = f"{cls}.{sub}"
    if not cls and sub:
        cls = sub.split(".", 1)[0]
    material.subclass, material.material_class = sub, cls
    if table and not sub:
        raise ValidationError({"subclass": [_("Choose the material's subclass.")]})
    if table and sub not in table:
        raise ValidationError(
            {
                "subclass": [
                    _("%(value)s is not a subclass of the material scheme.") % {"value": sub}
                ]
            }
        )
    if not cls:
        raise ValidationError({"material_class": [_("Choose the material's class.")]})
    if not MaterialClass.objects.filter(code=cls).exists():
        known = ", ".join(MaterialClass.objects.values_list("code", flat=True))
        raise ValidationError(
            {"material_class": [_("%(value)s is not a material class (known: %(known)s).")
                                % {"value": cls, "known": known}]}
        )  # fmt: skip
    if sub and not belongs(sub, cls):
        message = _(
            "Subclass %(subclass)s (%(label)s) does not belong to class %(class)s (%(name)s)."
        )
        values = {
            "subclass": sub,
            "label": labels.subclass_label(sub),
            "class": cls,
            "name": labels.class_label(cls),
        }
        raise ValidationError({"subclass": [message % values]})


def create_material(material: Material, *, user) -> Material:
    """A new material, coded by the `material` scheme (01.01.00001)."""
    check_material(material)
    return _create(material, user=user)


def update_material(material: Material, *, user, expected_version: int, fields) -> list:
    return _update(material, user=user, expected_version=expected_version, fields=fields)


def material_by_code(code: str):
    """The material a code names (any letter case or width), or None."""
    spellings = registry.spellings(code)
    return Material.objects.filter(code__in=spellings).first() if spellings else None


# Suppliers ---------------------------------------------------------------------------------


def check_supplier(supplier: Supplier) -> None:
    if supplier.country and not is_country(supplier.country):
        raise ValidationError({"country": [_("Choose a country from the list.")]})
    table = material_scheme().tables.get("subclass") or {}
    unknown = [s for s in supplier.subclasses or [] if table and s not in table]
    if unknown:
        raise ValidationError(
            {"subclasses": [_("Not subclasses of the material scheme: %(values)s.")
                            % {"values": ", ".join(unknown)}]}
        )  # fmt: skip


def _save_contacts(supplier: Supplier, contacts: list[dict]) -> None:
    supplier.contacts.all().delete()
    SupplierContact.objects.bulk_create(
        SupplierContact(
            supplier=supplier, position=i, **{k: row.get(k, "") for k in CONTACT_FIELDS}
        )
        for i, row in enumerate(contacts)
    )


def create_supplier(supplier: Supplier, *, user, materials=(), contacts=()) -> Supplier:
    """A new supplier, coded by the `supplier` scheme (S1101010001), with what it supplies."""
    check_supplier(supplier)
    with transaction.atomic():
        _create(supplier, user=user)
        supplier.materials.set(materials)
        _save_contacts(supplier, list(contacts))
        index.write(supplier)  # the materials and contacts are part of its search entry
    return supplier


def update_supplier(
    supplier: Supplier, *, user, expected_version: int, fields, materials=None, contacts=None
) -> list:
    """Save an edited supplier; `materials` and `contacts`, when given, replace the old ones."""
    check_supplier(supplier)
    also = [
        name
        for name, given in (("materials", materials), ("contacts", contacts))
        if given is not None
    ]

    def related():
        if materials is not None:
            supplier.materials.set(materials)
        if contacts is not None:
            _save_contacts(supplier, list(contacts))
        index.write(supplier)

    return _update(
        supplier, user=user, expected_version=expected_version, fields=fields, related=related,
        also=also,
    )  # fmt: skip


# Parts -------------------------------------------------------------------------------------


def normalise_hs_code(value: str) -> str:
    """`8481.90.00` or `8481 90 00` → `84819000`; ValidationError unless 6, 8 or 10 digits."""
    digits = "".join(c for c in (value or "") if not c.isspace() and c != ".")
    if digits and not HS_CODE.fullmatch(digits):
        raise ValidationError(
            {"hs_code": [_("An HS code has 6, 8 or 10 digits, e.g. 8481.90.00.")]}
        )
    return digits


def check_part(part: Part) -> None:
    """One part number once per customer (in any letter case); a well-formed HS code; a
    real country of origin. Raises ValidationError by field."""
    part.customer_part_number = " ".join((part.customer_part_number or "").split())
    part.hs_code = normalise_hs_code(part.hs_code)
    if part.origin and not is_country(part.origin):
        raise ValidationError({"origin": [_("Choose a country from the list.")]})
    if not part.customer_part_number:
        raise ValidationError({"customer_part_number": [_("Give the customer's part number.")]})
    same = Part.objects.filter(
        customer_id=part.customer_id, customer_part_number__iexact=part.customer_part_number
    ).exclude(pk=part.pk)
    if other := same.first():
        raise ValidationError({"customer_part_number": [_duplicate(part, other)]})


def _duplicate(part: Part, other: Part) -> str:
    return _("%(customer)s already has part %(number)s: %(code)s.") % {
        "customer": part.customer.code,
        "number": other.customer_part_number,
        "code": other.code,
    }


def create_part(part: Part, *, user) -> Part:
    """A new part of a customer, coded by the `product` scheme (01-04-001)."""
    check_part(part)
    try:
        with transaction.atomic():
            return _create(part, user=user)
    except IntegrityError:  # the same number saved by someone else a moment ago
        other = Part.objects.filter(
            customer_id=part.customer_id, customer_part_number__iexact=part.customer_part_number
        ).first()
        if other is None:
            raise
        part.pk, part.code = None, ""
        raise ValidationError({"customer_part_number": [_duplicate(part, other)]}) from None


def update_part(part: Part, *, user, expected_version: int, fields) -> list:
    check_part(part)
    try:
        return _update(part, user=user, expected_version=expected_version, fields=fields)
    except IntegrityError:
        check_part(part)
        raise


def parts_named(customer, texts) -> dict[str, Part]:
    """The customer's parts whose code or part number is one of `texts` (any letter case),
    by the text as given: how a typed line finds its part."""
    wanted = {" ".join(str(t).split()) for t in texts if t and str(t).strip()}
    if not wanted or customer is None:
        return {}
    query = Q(code__in=wanted)
    for text in wanted:
        query |= Q(customer_part_number__iexact=text)
    found = {}
    for part in Part.objects.filter(customer=customer).filter(query):
        for text in wanted:
            if text == part.code or text.casefold() == part.customer_part_number.casefold():
                found[text] = part
    return found


def parts_named_by_customer(texts_of: list[tuple]) -> dict[int, dict[str, Part]]:
    """parts_named() for several customers at once ((customer, texts) pairs): by customer
    id, the customers without any part found in one query and not asked again."""
    customers, texts = {}, {}
    for customer, given in texts_of:
        if customer is not None:
            customers[customer.pk] = customer
            texts.setdefault(customer.pk, []).extend(given)
    with_parts = set(
        Part.objects.filter(customer__in=[pk for pk, t in texts.items() if any(t)])
        .order_by()
        .values_list("customer", flat=True)
        .distinct()
    )
    return {
        pk: parts_named(customers[pk], texts[pk]) if pk in with_parts else {} for pk in customers
    }


def uses(code: str, user, limit: int = 10) -> list[dict]:
    """What is filed under a register record's code (the lines, BOMs and lots that name it),
    by kind, as the Everything page shows it: [{"kind", "rows", "total"}]."""
    from . import prices

    groups = []
    skip = prices.covered_kinds()
    for kind in registry.filed_kinds():
        if kind.row is None or kind.name in skip:
            continue
        rows = registry.filed_under(kind, [code], user)
        total = rows.count()
        if total:
            date = [f"-{kind.date}", "-pk"] if kind.date else ["-pk"]
            items = [kind.row(item) for item in rows.order_by(*date)[:limit]]
            groups.append({"kind": kind, "rows": items, "total": total})
    return groups


# Lists -------------------------------------------------------------------------------------


def filter_records(model, user, data: dict):
    """The records of a register `user` may see, narrowed by a valid FilterForm's data."""
    rows = model.objects.visible_to(user)
    active = data.get("active") or ""
    if active == "":
        rows = rows.filter(active=True)
    elif active == "inactive":
        rows = rows.filter(active=False)
    if q := (data.get("q") or "").strip():
        query = Q(code__istartswith=q) | Q(name__icontains=q) | Q(notes__icontains=q)
        if model is Part:
            query |= Q(customer_part_number__icontains=q) | Q(material_spec__icontains=q)
        elif model is Material:
            query |= Q(specification__icontains=q) | Q(manufacturer__icontains=q)
        else:
            query |= Q(contacts__name__icontains=q) | Q(email__icontains=q)
        rows = rows.filter(pk__in=model.objects.filter(query).values("pk"))
    if model is Part:
        rows = rows.select_related("customer", "material")
        if customer := (data.get("customer") or "").strip():
            rows = rows.filter(customer__code__iexact=customer)
    if model is Material:
        if cls := data.get("material_class"):
            rows = rows.filter(material_class=cls)
        if sub := (data.get("subclass") or "").strip():
            rows = rows.filter(subclass=sub)
    if model is Supplier:
        rows = rows.prefetch_related("materials", "contacts")
        if code := (data.get("material") or "").strip():
            rows = rows.filter(materials__code__in=registry.spellings(code))
        if sub := (data.get("subclass") or "").strip():
            # a JSON list is searched the same way on both databases: in Python (a register
            # holds hundreds of suppliers, not millions)
            wanted = [
                pk
                for pk, supplied in rows.values_list("pk", "subclasses")
                if any(s == sub or s.startswith(f"{sub}.") for s in supplied or [])
            ]
            rows = rows.filter(pk__in=wanted)
    return rows.order_by("code").distinct()


# Material classes and subclasses -----------------------------------------------------------


def add_subclass(material_class: str, number: str, label: str, label_zh: str = "", *, user):
    """Add a subclass (`01.08`) to the material scheme's table; codes given stay as they are.

    Raises ValidationError by field; an administrator's work (the page checks the role).
    """
    from tracecode.codes import services as codes
    from tracecode.codes.models import Scheme

    classes.ensure()
    sch = material_scheme()
    table = sch.tables.get("subclass")
    if table is None:
        raise ValidationError(
            {"__all__": [_("The material scheme in force has no subclass table.")]}
        )
    if not MaterialClass.objects.filter(code=material_class).exists():
        raise ValidationError({"material_class": [_("Choose the material's class.")]})
    value = f"{material_class}.{(number or '').strip()}"
    width = len(next(iter(table)))
    if len(value) != width or not value.replace(".", "").isdigit():
        raise ValidationError(
            {
                "number": [
                    _("Give the subclass as %(width)s digits, e.g. 08.")
                    % {"width": width - len(material_class) - 1}
                ]
            }
        )
    if value in table:
        raise ValidationError(
            {
                "number": [
                    _("%(value)s is already %(label)s.")
                    % {"value": value, "label": coding.table_label(table[value])}
                ]
            }
        )
    if not (label or "").strip():
        raise ValidationError({"label": [_("Give the subclass a name.")]})
    definition = sch.as_dict()
    definition["tables"]["subclass"][value] = {"label": label.strip(), "label_zh": label_zh.strip()}
    core.SchemeSet.from_dicts({"material": definition})  # refuses what the engine would
    with transaction.atomic():
        Scheme.objects.filter(name="material").update(
            definition=definition, source="", updated_at=timezone.now(), updated_by=_user(user)
        )
    codes.forget_schemes()
    return value
