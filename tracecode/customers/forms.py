"""The forms of the customer archive. The API validates its input with the same forms, so a
bad field gets the same message in the browser and in a 422."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.models import Role
from tracecode.core.concurrency import VersionField

from . import services
from .countries import BadPhone, country_choices, phone_display, to_e164
from .models import (
    Background,
    BusinessStatus,
    Communication,
    Contact,
    ContributionClass,
    Customer,
    CustomerSource,
    Industry,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BAD_PHONE = _(
    "Enter a valid phone number: with its country code (+49 711 1234567), "
    "or as dialled in the customer's country."
)
NO_COUNTRY_PHONE = _("Choose the country first, or give the number with its country code (+…).")


def dash_for_blank(form) -> None:
    """Every select of these forms offers its empty choice the same way: "—"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) or not hasattr(field, "choices"):
            continue
        choices = list(field.choices)
        if choices and choices[0][0] in ("", None) and choices[0][1] != "—":
            field.choices = [("", "—"), *choices[1:]]


def show_phones(form, names) -> None:
    """Saved numbers are shown as people write them (+49 711 123456), read back the same."""
    for name in names:
        if value := getattr(form.instance, name, ""):
            form.initial[name] = phone_display(value)


def show_codes(form, names) -> None:
    """List fields are chosen by code: start them from the record's entries' codes."""
    for name in names:
        entry = getattr(form.instance, name, None)
        if entry is not None:
            form.initial[name] = entry.code


def list_field(model, label, instance_value=None, required=False):
    """A select of an admin-extended list: the offered entries and the one already chosen."""
    entries = model.objects.filter(active=True)
    if instance_value is not None:
        entries = model.objects.filter(Q(active=True) | Q(pk=instance_value.pk))
    return forms.ModelChoiceField(
        entries, label=label, required=required, to_field_name="code", empty_label="—"
    )


def staff():
    """The people who may own customers or have them shared with them."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class PersonField(forms.ModelChoiceField):
    """A choice of a person, shown by their name (their username when they have none)."""

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class PeopleField(forms.ModelMultipleChoiceField):
    """A choice of people, shown by their names (usernames when they have none)."""

    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


def clean_phones(form, names, country: str) -> None:
    for name in names:
        raw = form.cleaned_data.get(name)
        if not raw:
            continue
        try:
            form.cleaned_data[name] = to_e164(raw, country)
        except BadPhone:
            bare = not country and not raw.strip().startswith("+")
            form.add_error(name, NO_COUNTRY_PHONE if bare else BAD_PHONE)


class GroupedForm:
    """Fields shown in the groups of the Customer Information Sheet."""

    groups_spec: list = []
    coding_names: list = []

    def groups(self):
        groups = []
        for title, names in self.groups_spec:
            names = self.coding_names if names == "coding" else names
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                groups.append((title, fields))
        return groups


class CustomerForm(GroupedForm, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Customer
        fields = [
            "company_name", "email", "website", "phone", "country", "province", "city",
            "address", "region", "industry", "background", "size", "main_products", "source",
            "status", "next_step", "next_step_due",
            "nda_signed", "nda_date", "packaging_requirements", "inspection_requirements",
            "payment_requirements", "satisfaction", "remark",
            "is_key_account", "loyalty_level", "class_override", "class_override_reason",
            "credit_level", "credit_limit",
        ]  # fmt: skip
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "packaging_requirements": forms.Textarea(attrs={"rows": 2}),
            "inspection_requirements": forms.Textarea(attrs={"rows": 2}),
            "payment_requirements": forms.Textarea(attrs={"rows": 2}),
            "remark": forms.Textarea(attrs={"rows": 3}),
            "next_step_due": DATE,
            "nda_date": DATE,
        }
        help_texts = {
            "email": _("The company's general address; people's addresses go with contacts."),
            "phone": _("Stored in international form (E.164)."),
            "class_override": _(
                "Empty: computed from the last 12 months' orders (Pareto). Set by hand only "
                "with a reason."
            ),
        }

    groups_spec = [
        (
            _("Basic information"),
            [
                "company_name",
                "owner",
                "email",
                "website",
                "phone",
                "country",
                "province",
                "city",
                "address",
                "region",
                "industry",
                "background",
                "size",
                "main_products",
                "source",
            ],
        ),  # fmt: skip
        (_("Customer code"), "coding"),  # what the scheme asks for beyond the fields above
        (_("Business follow-up"), ["status", "next_step", "next_step_due"]),
        (
            _("Cooperation"),
            [
                "nda_signed",
                "nda_date",
                "packaging_requirements",
                "inspection_requirements",
                "payment_requirements",
                "satisfaction",
                "remark",
            ],
        ),  # fmt: skip
        (
            _("Classification and credit"),
            [
                "is_key_account",
                "loyalty_level",
                "class_override",
                "class_override_reason",
                "credit_level",
                "credit_limit",
            ],
        ),  # fmt: skip
    ]

    def __init__(self, *args, user, creating: bool = False, check_duplicates=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.creating = creating
        instance = self.instance
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), choices=[("", "—"), *country_choices()]
        )
        self.fields["industry"] = list_field(Industry, _("product industry"), instance.industry)
        self.fields["background"] = list_field(
            Background, _("client background"), instance.background
        )
        self.fields["source"] = list_field(CustomerSource, _("customer source"), instance.source)
        self.fields["status"] = list_field(BusinessStatus, _("business status"), instance.status)
        show_codes(self, ["industry", "background", "source", "status"])
        show_phones(self, ["phone"])
        self._coding_selects(instance)
        from django.conf import settings

        self.fields["credit_limit"].label = _("credit limit (%(currency)s)") % {
            "currency": settings.BASE_CURRENCY
        }
        self.fields["satisfaction"].help_text = _("Internal rating: 1 poor … 5 excellent.")
        if creating:
            self.fields.pop("version")
            self._scheme_fields()
            if user.sees_everything:
                self.fields["owner"] = PersonField(
                    staff().exclude(role=Role.VIEWER),
                    label=_("owner"),
                    to_field_name="username",
                    initial=user.username,
                    help_text=_("The sales person who owns the customer."),
                )
            if check_duplicates:
                self._watch_for_duplicates()
        else:
            self.fields["version"].required = True
            self.fields["version"].initial = instance.version
        dash_for_blank(self)

    def _coding_selects(self, instance):
        for name, label in (("region", _("sales region")), ("size", _("company size"))):
            table = services.coding_table(name)
            if name == "size" and table is None:
                table = services.COMPANY_SIZES
            if table is None:
                continue
            current = getattr(instance, name)
            choices = [("", "—"), *table]
            if current and current not in dict(table):
                choices.append((current, current))
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def _scheme_fields(self):
        """At creation, the fields the customer coding scheme builds the code from."""
        sch = services.customer_scheme()
        coding = []
        for name in sch.field_names:
            if name in Customer.coding_fields:
                self.fields[name].required = True
                self.fields[name].help_text = _("Part of the customer code.")
                continue
            key = f"code_{name}"
            table = services.coding_table(name)
            label = name.replace("_", " ").capitalize()
            if table is not None:
                self.fields[key] = forms.ChoiceField(
                    label=label, choices=[("", "—"), *table], required=True
                )
            else:
                self.fields[key] = forms.CharField(label=label, max_length=40, required=True)
            self.fields[key].help_text = _("Part of the customer code.")
            coding.append(key)
        self.coding_names = coding

    def _watch_for_duplicates(self):
        url = reverse_lazy("customers:duplicates")
        for name in ("company_name", "email", "phone", "website"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": url,
                    "hx-trigger": "input changed delay:400ms, change",
                    "hx-target": "#duplicates",
                    "hx-include": "closest form",
                    "hx-sync": "closest form:replace",
                }
            )

    def model_fields(self) -> list[str]:
        """The customer's fields this form changes."""
        return [name for name in self.Meta.fields if name in self.fields]

    def clean(self):
        data = super().clean()
        clean_phones(self, ["phone"], data.get("country") or "")
        if data.get("nda_signed") and not data.get("nda_date"):
            self.add_error("nda_date", _("Give the date the NDA was signed."))
        if data.get("nda_date") and not data.get("nda_signed"):
            data["nda_signed"] = True
        if data.get("class_override") and not (data.get("class_override_reason") or "").strip():
            self.add_error("class_override_reason", _("Say why the class is set by hand."))
        return data

    def save(self, commit=True):
        customer = super().save(commit=False)
        if "owner" in self.cleaned_data:
            customer.owner = self.cleaned_data["owner"]
        if self.creating:
            customer.code_values = {
                key.removeprefix("code_"): value
                for key, value in self.cleaned_data.items()
                if key.startswith("code_")
            }
        if commit:
            customer.save()
        return customer

    def add_coding_error(self, error) -> None:
        """Show a CodingError on the field the code is built from, else above the form."""
        field = (error.field or "").removeprefix("code_values.")
        for name in (field, f"code_{field}"):
            if field and name in self.fields:
                self.add_error(name, str(error))
                return
        self.add_error(None, _("The customer code cannot be given: %(error)s") % {"error": error})


class FollowUpForm(forms.ModelForm):
    """The next step and status, changed on the sheet without opening the whole form."""

    version = VersionField()

    class Meta:
        model = Customer
        fields = ["status", "next_step", "next_step_due"]
        widgets = {"next_step_due": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = list_field(
            BusinessStatus, _("business status"), self.instance.status
        )
        show_codes(self, ["status"])
        self.fields["version"].initial = self.instance.version

    def model_fields(self) -> list[str]:
        return list(self.Meta.fields)


class SharingForm(forms.Form):
    owner = PersonField(
        staff().exclude(role=Role.VIEWER), label=_("owner"), to_field_name="username"
    )
    shared_with = PeopleField(
        staff(),
        label=_("shared with"),
        to_field_name="username",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They see the customer and everything under it; viewers only read."),
    )

    def __init__(self, *args, customer, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "owner": customer.owner.username,
                "shared_with": [u.username for u in customer.shared_with.all()],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff().exclude(role=Role.VIEWER)
        self.fields["shared_with"].queryset = staff()
        if not user.sees_everything:
            self.fields["owner"].disabled = True
            self.fields["owner"].help_text = _("A manager hands a customer over.")


class ContactForm(forms.ModelForm):
    api_names = {"make_main": "main"}  # what the API calls a field

    version = VersionField(required=False)
    make_main = forms.BooleanField(label=_("make this the main contact"), required=False)

    class Meta:
        model = Contact
        fields = [
            "name", "job_title", "email", "phone", "whatsapp", "wechat", "skype", "notes",
            "left_company",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        show_phones(self, ["phone", "whatsapp"])
        if self.instance.pk:
            self.fields.pop("make_main")
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        else:
            self.fields.pop("version")
            self.fields.pop("left_company")

    def model_fields(self) -> list[str]:
        return [name for name in self.Meta.fields if name in self.fields]

    def clean(self):
        data = super().clean()
        clean_phones(self, ["phone", "whatsapp"], self.customer.country)
        return data


class CommunicationForm(forms.ModelForm):
    class Meta:
        model = Communication
        fields = ["date", "channel", "direction", "contact", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.all()
        self.fields["contact"].to_field_name = "code"
        self.fields["contact"].empty_label = "—"
        dash_for_blank(self)


class CustomerFilterForm(forms.Form):
    DUE = [
        ("", _("any")),
        ("due", _("due or overdue")),
        ("overdue", _("overdue")),
        ("week", _("due within a week")),
    ]
    KEY = [("", _("all")), ("key", _("key accounts")), ("regular", _("regular customers"))]
    MARKET = [("", _("all")), ("domestic", _("domestic")), ("international", _("international"))]
    ARCHIVED = [("", _("current")), ("archived", _("archived")), ("all", _("all"))]
    SORT = [
        ("code", _("code")),
        ("-code", _("code, newest first")),
        ("company", _("company name")),
        ("country", _("country")),
        ("due", _("next step due")),
        ("-last_contact", _("last contact, latest first")),
        ("last_contact", _("last contact, longest ago first")),
        ("-created", _("created, newest first")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ModelChoiceField(
        BusinessStatus.objects.all(), label=_("Status"), required=False, to_field_name="code"
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    industry = forms.ModelChoiceField(
        Industry.objects.all(), label=_("Industry"), required=False, to_field_name="code"
    )
    contribution = forms.ChoiceField(
        label=_("Class"),
        required=False,
        choices=[("", _("all")), *[(c.value, c.value) for c in ContributionClass]],
    )
    owner = PersonField(staff(), label=_("Owner"), required=False, to_field_name="username")
    due = forms.ChoiceField(label=_("Follow-up"), required=False, choices=DUE)
    key = forms.ChoiceField(label=_("Key account"), required=False, choices=KEY)
    market = forms.ChoiceField(label=_("Market"), required=False, choices=MARKET)
    archived = forms.ChoiceField(label=_("Archived"), required=False, choices=ARCHIVED)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("all")), *country_choices()]
        self.fields["owner"].queryset = staff().exclude(role=Role.VIEWER)
        for name in ("status", "industry", "owner"):
            self.fields[name].empty_label = _("all")

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            v for k, v in self.data.items() if k in self.fields and k != "sort"
        )
