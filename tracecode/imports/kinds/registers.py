"""Parts, materials and suppliers as sheets, saved through the registers' forms and services."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracecode.codes import core
from tracecode.codes import services as codes
from tracecode.core.trade import UNITS
from tracecode.customers.countries import country_choices
from tracecode.registers import classes, coding, labels, services
from tracecode.registers.forms import FilterForm, MaterialForm, PartForm, SupplierForm
from tracecode.registers.models import Material, MaterialClass, Part, Supplier, keeps_registers

from ..engine import Row, Saved
from ..sheets import Column
from .base import Kind, fill, given_fields, jsonable, model_fields, snapshot, valid
from .customers import code_column, label_of


def _code(record) -> str:
    return record.code if record is not None else ""


def _table(scheme: str, name: str):
    return lambda: coding.table_choices(coding.scheme(scheme), name) or []


def material_classes():
    classes.ensure()
    return [(c.code, str(c)) for c in MaterialClass.objects.all()]


class Register(Kind):
    """What the three registers share: a scheme of their own name, codes built from fields
    that never change, `create_…` and `update_…` in registers/services.py."""

    form_class = None
    customer_bound = False

    def filter_form(self, data=None):
        return FilterForm(data, kind=self.name.removesuffix("s"))

    def filtered(self, user, data: dict):
        return services.filter_records(self.model, user, data)

    def legacy_allowed(self, user) -> bool:
        return user.sees_everything or not self.customer_bound

    def may_import(self, user) -> bool:
        return super().may_import(user) and (self.customer_bound or keeps_registers(user))

    def scheme_of(self):
        return coding.scheme(self.model.scheme_name)

    def create(self, record, form, user):
        raise NotImplementedError

    def update(self, record, form, user, version, fields):
        raise NotImplementedError

    def _from_code(self, row: Row) -> None:
        """A record that brings its code takes the values the code is built from where the
        row leaves them empty (01.01.00001 is subclass 01.01)."""
        name = self.scheme_of().name  # installs the register's default scheme first
        try:
            parsed = codes.schemes().parse(row.get("code"), scheme=name)
        except core.ParseError:
            return  # the coding engine says what is wrong with it
        for name, attribute in self.model.coding_fields.items():
            key = next((c.key for c in row.columns.values() if c.form_field == attribute), name)
            if name in parsed.fields and not row.get(key):
                row.values[key] = parsed.fields[name]

    def save_row(self, row: Row, context) -> Saved:
        user = context.user
        record = self.find(row, user)
        columns = row.columns.values()
        if record is None:
            if row.get("code"):
                self._from_code(row)
            form = valid(fill(self.form_class, row, columns, user=user), row, self)
            record = form.save(commit=False)
            if row.get("code"):
                record.code = row.get("code")
            if row.given("active"):
                record.active = row.get("active") == "true"
            self.create(record, form, user)
            services.record_import(record, user=user, source=context.source)
            return Saved("new", record, {"kind": self.name, "action": "new", "pk": record.pk,
                                          "code": record.code})  # fmt: skip
        for name in record.coding_fields.values():
            key = "type" if name == "part_type" else "class" if name == "material_class" else name
            given = row.get(key) if row.given(key) else None
            if given not in (None, "") and str(given) != str(getattr(record, name)):
                row.fail(key, _("%(field)s is part of the code %(code)s and never changes.")
                         % {"field": row.header(key), "code": record.code})  # fmt: skip
        candidates = model_fields(self.model, [c.form_field for c in columns if c.form_field])
        before = snapshot(record, candidates)
        version = record.version
        form = valid(fill(self.form_class, row, columns, instance=record, user=user), row, self)
        record = form.save(commit=False)
        fields = model_fields(self.model, given_fields(row, columns, form))
        after = self.after(record, form, fields)
        changed = [f for f in fields if before[f] != after[f]]
        if not changed:
            return Saved("unchanged", record)
        self.update(record, form, user, version, changed)
        services.record_import(record, user=user, source=context.source)
        return Saved(
            "updated",
            record,
            {
                "kind": self.name,
                "action": "updated",
                "pk": record.pk,
                "code": record.code,
                "version": record.version,
                "before": {f: jsonable(before[f]) for f in changed},
            },
        )

    def after(self, record, form, fields) -> dict:
        return snapshot(record, fields)

    def save_restored(self, record, fields, change, user) -> None:
        self.update(record, None, user, record.version, fields)


class Parts(Register):
    name = "parts"
    label = gettext_lazy("Parts")
    position = 90
    model = Part
    scheme = "product"
    customer_bound = True
    form_class = PartForm
    help = gettext_lazy("The customers' parts (products), one a row, named by customer code.")

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            Column("customer", gettext_lazy("Customer"), "code", required=True,
                   get=lambda p: p.customer.code, example="RK888",
                   help=gettext_lazy("The customer's code.")),
            Column("customer_part_number", label_of(Part, "customer_part_number"),
                   required=True, example="SP1003"),
            Column("name", label_of(Part, "name"), required=True, width=24),
            Column("category", label_of(Part, "category"), "choice",
                   choices=_table("product", "category"), shows_value=True),
            Column("type", label_of(Part, "part_type"), "choice", field="part_type",
                   choices=_table("product", "type"), get=lambda p: p.part_type,
                   shows_value=True),
            Column("drawing_revision", label_of(Part, "drawing_revision")),
            Column("material", label_of(Part, "material"), "code",
                   get=lambda p: _code(p.material),
                   help=gettext_lazy("The material's code in the register.")),
            Column("material_spec", label_of(Part, "material_spec")),
            Column("process", label_of(Part, "process")),
            Column("unit", label_of(Part, "unit"), "choice", choices=lambda: list(UNITS),
                   shows_value=True),
            Column("hs_code", label_of(Part, "hs_code"), "folded"),
            Column("origin", label_of(Part, "origin"), "choice", choices=country_choices),
            Column("active", label_of(Part, "active"), "bool"),
            Column("notes", label_of(Part, "notes"), width=24),
        ]  # fmt: skip

    def for_export(self, records):
        return records.select_related("customer", "material")

    def create(self, record, form, user):
        services.create_part(record, user=user)

    def update(self, record, form, user, version, fields):
        services.update_part(record, user=user, expected_version=version, fields=fields)


class Materials(Register):
    name = "materials"
    label = gettext_lazy("Materials")
    position = 100
    model = Material
    scheme = "material"
    form_class = MaterialForm
    help = gettext_lazy("The material register, one material a row (01.01.00001).")

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            Column("class", label_of(Material, "material_class"), "choice",
                   field="material_class", choices=material_classes,
                   get=lambda m: m.material_class, shows_value=True),
            Column("subclass", label_of(Material, "subclass"), "choice", required=True,
                   choices=lambda: services.subclasses(), shows_value=True),
            Column("name", label_of(Material, "name"), required=True, width=24),
            Column("full_name", gettext_lazy("Full name"), read_only=True, get=labels.full_name,
                   width=40, help=gettext_lazy("Class, subclass and name: not imported.")),
            Column("specification", label_of(Material, "specification"), width=24),
            Column("manufacturer", label_of(Material, "manufacturer")),
            Column("unit", label_of(Material, "unit"), "choice", choices=lambda: list(UNITS),
                   shows_value=True),
            Column("active", label_of(Material, "active"), "bool"),
            Column("notes", label_of(Material, "notes"), width=24),
        ]  # fmt: skip

    def create(self, record, form, user):
        services.create_material(record, user=user)

    def update(self, record, form, user, version, fields):
        services.update_material(record, user=user, expected_version=version, fields=fields)


class Suppliers(Register):
    name = "suppliers"
    label = gettext_lazy("Suppliers")
    position = 110
    model = Supplier
    scheme = "supplier"
    form_class = SupplierForm
    help = gettext_lazy("Suppliers, one a row; their contacts are kept on their pages.")

    @property
    def columns(self) -> list[Column]:
        return [
            code_column(),
            Column("name", label_of(Supplier, "name"), required=True, width=24),
            Column("country", label_of(Supplier, "country"), "choice", choices=country_choices),
            Column("region", label_of(Supplier, "region"), "folded",
                   help=gettext_lazy("The administrative region code (110101, 440300).")),
            Column("address", label_of(Supplier, "address"), width=24),
            Column("phone", label_of(Supplier, "phone"), "folded"),
            Column("email", label_of(Supplier, "email"), "folded"),
            Column("website", label_of(Supplier, "website"), "folded"),
            Column("materials", label_of(Supplier, "materials"), "several",
                   get=lambda s: [m.code for m in s.materials.all()],
                   help=gettext_lazy("Material codes, separated by |.")),
            Column("subclasses", label_of(Supplier, "subclasses"), "several",
                   choices=lambda: services.subclasses(), shows_value=True,
                   get=lambda s: list(s.subclasses or []),
                   help=gettext_lazy("Subclasses (04.01 …), separated by |.")),
            Column("contacts", gettext_lazy("Contacts"), read_only=True,
                   get=lambda s: "|".join(c.name for c in s.contacts.all()),
                   help=gettext_lazy("Kept on the supplier's page: not imported.")),
            Column("active", label_of(Supplier, "active"), "bool"),
            Column("notes", label_of(Supplier, "notes"), width=24),
        ]  # fmt: skip

    def for_export(self, records):
        return records.prefetch_related("materials", "contacts")

    def after(self, record, form, fields) -> dict:
        after = snapshot(record, [f for f in fields if f != "materials"])
        if "materials" in fields:
            after["materials"] = tuple(sorted(m.pk for m in form.cleaned_data["materials"]))
        return after

    def create(self, record, form, user):
        services.create_supplier(record, user=user, materials=form.cleaned_data["materials"])

    def save_restored(self, record, fields, change, user) -> None:
        before = change.get("before") or {}
        materials = None
        if "materials" in before:
            materials = list(Material.objects.filter(pk__in=before["materials"]))
            fields = [*fields, "materials"]
        services.update_supplier(record, user=user, expected_version=record.version,
                                 fields=fields, materials=materials)  # fmt: skip

    def update(self, record, form, user, version, fields):
        materials = form.cleaned_data["materials"] if "materials" in fields else None
        services.update_supplier(
            record, user=user, expected_version=version, fields=fields, materials=materials
        )
