"""The forms of the registers. The API validates its input with the same forms, so a bad
field gets the same message in the browser and in a 422.

The values a code is built from (a part's category and type, a material's class and
subclass, a supplier's region) are asked for at creation and shown read-only afterwards.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from tracecode.core.concurrency import VersionField
from tracecode.customers.countries import country_choices
from tracecode.customers.models import Customer

from . import classes, coding, services
from .models import Material, MaterialClass, Part, Supplier, SupplierContact

CODE_HELP = _("Part of the code: given once, never changed.")


def dash(choices) -> list:
    return [("", "—"), *choices]


def picked(label, choices, required=True, **kwargs) -> forms.CharField:
    """A value picked from a list whose rules services.py checks (with its own messages):
    a select in the browser, any text from the API."""
    return forms.CharField(
        label=label, required=required, widget=forms.Select(choices=dash(choices)), **kwargs
    )


def material_choice(instance_value=None, required=False, label=None):
    """Materials picked by code: the ones in use, and the one already chosen."""
    pk = getattr(instance_value, "pk", None)
    field = forms.ModelChoiceField(
        Material.objects.filter(Q(active=True) | Q(pk=pk)),
        label=label or capfirst(_("material (register)")),
        required=required,
        to_field_name="code",
        empty_label="—",
        error_messages={"invalid_choice": _("No material %(value)s in the register.")},
    )
    field.label_from_instance = lambda m: f"{m.code} {m.name}"
    return field


class RegisterForm(forms.ModelForm):
    """What the three register forms share: the version on edit, the scheme's fields at
    creation, the rules of services.py as field errors."""

    api_names = {"part_type": "type"}  # what the API calls a field
    version = VersionField(required=False)
    scheme_name = ""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = self.instance.pk is None
        self.coding_names: list[str] = []
        if self.creating:
            self.fields.pop("version")
            self.fields.pop("active", None)
            self._scheme_fields()
        else:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
            for name in self.instance.coding_fields.values():
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].required = False
                    self.fields[name].help_text = CODE_HELP

    def _scheme_fields(self) -> None:
        """At creation, the fields the register's scheme builds the code from."""
        sch = coding.scheme(self.scheme_name)
        model = self._meta.model
        for name in sch.field_names:
            own = model.coding_fields.get(name)
            choices = coding.table_choices(sch, name)
            if own and own in self.fields:
                field = self.fields[own]
                if choices is not None:
                    field = self.fields[own] = picked(field.label, choices)
                field.required = True
                said = field.help_text
                field.help_text = format_lazy("{} {}", said, CODE_HELP) if said else CODE_HELP
                continue
            key = f"code_{name}"
            label = name.replace("_", " ").capitalize()
            if choices is not None:
                self.fields[key] = picked(label, choices)
            else:
                self.fields[key] = forms.CharField(label=label, max_length=40)
            self.fields[key].help_text = CODE_HELP
            self.coding_names.append(key)

    def model_fields(self) -> list[str]:
        """The record's fields this form changes."""
        return [
            name
            for name in self._meta.fields
            if name in self.fields and not self.fields[name].disabled
        ]

    def check(self, instance) -> None:
        """The register's rules (services.check_…)."""

    def validate_unique(self):
        pass  # services.check_… says it better (naming the record that has the value)

    def validate_constraints(self):
        pass  # the same: the database keeps the constraint, services.py explains it

    def _post_clean(self):
        super()._post_clean()
        if self.creating:
            self.instance.code_values = {
                key.removeprefix("code_"): value
                for key, value in self.cleaned_data.items()
                if key.startswith("code_")
            }
        try:
            self.check(self.instance)
            if self.creating:
                services.code_values(self.instance, coding.scheme(self.scheme_name))
        except ValidationError as error:
            self._add_errors(error)

    def _add_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            for message in messages:
                if target is None or target not in self.errors:
                    self.add_error(target, message)

    def add_coding_error(self, error) -> None:
        """Show an error of the coding engine on the field the code is built from."""
        own = self._meta.model.coding_fields.get(error.field or "")
        for name in (own, f"code_{error.field}"):
            if name and name in self.fields:
                self.add_error(name, str(error))
                return
        self.add_error(None, _("The code cannot be given: %(error)s") % {"error": error})


class PartForm(RegisterForm):
    scheme_name = "product"

    class Meta:
        model = Part
        fields = [
            "customer", "customer_part_number", "name", "category", "part_type",
            "drawing_revision", "material", "material_spec", "process", "unit", "hs_code",
            "origin", "notes", "active",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        instance = self.instance
        if self.creating:
            customers = Customer.objects.editable_by(user) if user else Customer.objects.none()
            self.fields["customer"].queryset = customers.order_by("code")
            self.fields["customer"].to_field_name = "code"
            self.fields["customer"].label_from_instance = str
            self.fields["customer"].error_messages["invalid_choice"] = _(
                "No customer %(value)s that you may change."
            )
        else:
            self.fields.pop("customer")
        self.fields["material"] = material_choice(instance.material)
        self.fields["origin"] = forms.ChoiceField(
            label=_("country of origin"), choices=dash(country_choices()), required=False
        )
        if instance.hs_code:
            self.initial.setdefault("hs_code", instance.hs_code_display)

    def check(self, instance) -> None:
        if self.creating and not instance.customer_id:
            return  # the customer field says what is wrong
        services.check_part(instance)


class MaterialForm(RegisterForm):
    scheme_name = "material"

    class Meta:
        model = Material
        fields = [
            "material_class", "subclass", "name", "specification", "manufacturer", "unit",
            "notes", "active",
        ]  # fmt: skip
        widgets = {
            "specification": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes.ensure()
        names = [(c.code, str(c)) for c in MaterialClass.objects.all()]
        self.fields["material_class"] = picked(
            _("class"), names, required=False, disabled=not self.creating,
            help_text=_("Empty: the subclass's class.") if self.creating else CODE_HELP,
        )  # fmt: skip
        if table := services.subclasses():
            groups: dict[str, list] = {}
            for value, label in table:
                groups.setdefault(value.split(".", 1)[0], []).append((value, label))
            names = dict(names)
            self.fields["subclass"] = picked(
                _("subclass"),
                [(names.get(k, k), v) for k, v in groups.items()],
                required=self.creating,
                disabled=not self.creating,
                help_text=CODE_HELP,
            )

    def check(self, instance) -> None:
        if self.creating:
            services.check_material(instance)


class SupplierForm(RegisterForm):
    scheme_name = "supplier"

    class Meta:
        model = Supplier
        fields = [
            "name", "country", "region", "address", "phone", "email", "website", "materials",
            "subclasses", "notes", "active",
        ]  # fmt: skip
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), choices=dash(country_choices()), required=False
        )
        chosen = list(self.instance.materials.all()) if self.instance.pk else []
        materials = forms.ModelMultipleChoiceField(
            Material.objects.filter(Q(active=True) | Q(pk__in=[m.pk for m in chosen])),
            label=_("materials supplied"),
            required=False,
            to_field_name="code",
            widget=forms.SelectMultiple(attrs={"size": 6}),
            error_messages={"invalid_choice": _("No material %(value)s in the register.")},
        )
        materials.label_from_instance = lambda m: f"{m.code} {m.name}"
        self.fields["materials"] = materials
        if self.instance.pk:
            self.initial["materials"] = [m.code for m in chosen]
        self.fields["subclasses"] = forms.MultipleChoiceField(
            label=_("what it supplies"),
            choices=services.subclasses(),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 6}),
            help_text=_("Subclasses of material or outsourced processing (04.01 drilling …)."),
        )

    def check(self, instance) -> None:
        services.check_supplier(instance)


class SupplierContactForm(forms.ModelForm):
    class Meta:
        model = SupplierContact
        fields = services.CONTACT_FIELDS


class ContactFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled-in contacts, in order, without the removed ones."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


SupplierContactFormSet = forms.formset_factory(
    SupplierContactForm, formset=ContactFormSet, extra=2, can_delete=True
)


def contact_formset(supplier=None, data=None):
    if data is not None:
        return SupplierContactFormSet(data, prefix="contacts")
    rows = [{k: getattr(c, k) for k in services.CONTACT_FIELDS} for c in supplier.contacts.all()]
    return SupplierContactFormSet(initial=rows, prefix="contacts")


class FilterForm(forms.Form):
    """The filters of a register's list (GET)."""

    ACTIVE = [("", _("in use")), ("inactive", _("no longer in use")), ("all", _("all"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    active = forms.ChoiceField(label=_("In use"), required=False, choices=ACTIVE)
    customer = forms.CharField(label=_("Customer code"), required=False, max_length=40)
    material_class = forms.ChoiceField(label=_("Class"), required=False)
    subclass = forms.CharField(label=_("Subclass"), required=False, max_length=20)
    material = forms.CharField(label=_("Material code"), required=False, max_length=40)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"part": ["customer"], "material": ["material_class", "subclass"],
                "supplier": ["material", "subclass"]}[kind]  # fmt: skip
        for name in ("customer", "material_class", "subclass", "material"):
            if name not in keep:
                self.fields.pop(name)
        if "material_class" in self.fields:
            names = [(c.code, str(c)) for c in MaterialClass.objects.all()]
            self.fields["material_class"].choices = [("", _("all")), *names]
