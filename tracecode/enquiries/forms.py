"""The intake's forms. The page and the API validate with the same ones: the form a person
accepts an enquiry with is the customer form (its duplicate check and coding fields), the
contact's fields and the project form, put together."""

from django import forms
from django.core import signing
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tracecode.customers.countries import BadPhone, country_choices, to_e164
from tracecode.customers.duplicates import find_duplicates
from tracecode.customers.forms import BAD_PHONE, CustomerForm, staff
from tracecode.customers.models import Customer, Industry
from tracecode.files.layout import UPLOAD_TYPES
from tracecode.mail.forms import MultipleFileField
from tracecode.mail.services.compose import LANGUAGES
from tracecode.sales.forms import ProjectForm

from . import services

# The fields of the customer form an enquiry asks for (the scheme's coding fields join them).
CUSTOMER_FIELDS = [
    "company_name", "owner", "country", "website", "phone", "city", "address", "industry",
    "source",
]  # fmt: skip
PROJECT_FIELDS = ["name", "received_on", "channel", "target_quantity", "quantity_unit", "request"]
NEW = "new"
TOKEN_SALT = "tracecode.enquiries.form"
TOKEN_MAX_AGE = 24 * 3600  # an older form is sent again (what was typed stays)
# The drawings of one submission together: the form is public, so less than an upload may be.
FORM_MAX_BYTES = 25 * 1024 * 1024


class SubmissionForm(forms.Form):
    """The website's enquiry form; `website` is the honeypot (hidden from people)."""

    company_name = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    country = forms.ChoiceField(label=_("Country"))
    industry = forms.ModelChoiceField(
        Industry.objects.filter(active=True),
        label=_("Industry"),
        required=False,
        to_field_name="code",
        empty_label="—",
    )
    part_name = forms.CharField(label=_("Part or product"), max_length=100)
    quantity = forms.DecimalField(
        label=_("Quantity (pieces)"), required=False, min_value=1, max_digits=14, decimal_places=3
    )
    message = forms.CharField(
        label=_("Your request"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    drawings = MultipleFileField(
        label=_("Drawings"),
        required=False,
        help_text=_("PDF, DWG, STEP, pictures … up to 10 files, 25 MB in all."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "tc-hp-input"}
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["company_name"].widget.attrs["autocomplete"] = "organization"
        if not self.is_bound:
            self.initial["token"] = signing.dumps("form", salt=TOKEN_SALT)

    @property
    def is_spam(self) -> bool:
        """The honeypot filled in, or a post without a form loaded from here."""
        if (self.data.get("website") or "").strip():
            return True
        try:
            signing.loads(self.data.get("token", ""), salt=TOKEN_SALT)
        except signing.BadSignature:
            return True
        return False

    def clean_drawings(self):
        drawings = self.cleaned_data["drawings"]
        if len(drawings) > services.FILES_PER_SUBMISSION:
            raise forms.ValidationError(
                _("At most %(n)d files.") % {"n": services.FILES_PER_SUBMISSION}
            )
        total = sum(f.size for f in drawings)
        if total > FORM_MAX_BYTES:
            raise forms.ValidationError(
                _("The drawings come to %(size)s; at most %(limit)s can be sent.")
                % {"size": filesizeformat(total), "limit": filesizeformat(FORM_MAX_BYTES)}
            )
        return drawings

    def clean(self):
        data = super().clean()
        try:
            signing.loads(self.data.get("token", ""), salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.SignatureExpired:
            self.data = self.data.copy()
            self.data["token"] = signing.dumps("form", salt=TOKEN_SALT)
            self.add_error(None, _("This form was open for a long time: please send it again."))
        except signing.BadSignature:
            pass  # a robot's post: is_spam keeps it out
        if data.get("phone"):
            try:
                data["phone"] = to_e164(data["phone"], data.get("country") or "")
            except BadPhone:
                self.add_error("phone", BAD_PHONE)
        return data


class ChoiceForm(forms.Form):
    """A new customer, or one of the archive's (those the duplicate check found, or a code)."""

    customer = forms.ChoiceField(label=_("Customer"), widget=forms.RadioSelect)
    other = forms.CharField(
        label=_("or an existing customer's code"), max_length=40, required=False
    )
    offered = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, duplicates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_duplicates(duplicates)

    def set_duplicates(self, duplicates) -> None:
        self.duplicates = list(duplicates)
        choices = [(NEW, _("A new customer"))]
        for found in self.duplicates:
            owner = found.customer.owner
            reasons = ", ".join(found.reasons)
            who = owner.get_full_name() or owner.username
            label = f"{found.customer.code} {found.customer.company_name} ({reasons}; {who})"
            choices.append((found.customer.code, label))
        self.fields["customer"].choices = choices
        self.initial.setdefault("offered", ",".join(d.customer.code for d in self.duplicates))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Contact"), max_length=120, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class FilesForm(forms.Form):
    """For each file that came with the enquiry: file it, and as which document type."""

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        for number, item in enumerate(self.offered):
            self.fields[f"take_{number}"] = forms.BooleanField(
                label=item.name, required=False, initial=True
            )
            self.fields[f"type_{number}"] = forms.ChoiceField(
                label=_("as"), choices=UPLOAD_TYPES, initial=item.document_type
            )

    def rows(self):
        return [(item, self[f"take_{n}"], self[f"type_{n}"]) for n, item in enumerate(self.offered)]

    def chosen(self) -> list[tuple[str, str]]:
        return [
            (item.key, self.cleaned_data[f"type_{n}"])
            for n, item in enumerate(self.offered)
            if self.cleaned_data.get(f"take_{n}")
        ]


class ExtraForm(forms.Form):
    whole_thread = forms.BooleanField(
        label=_("File the whole thread"), required=False, initial=True
    )
    language = forms.ChoiceField(label=_("Acknowledgement in"), choices=LANGUAGES)


class IntakeForm:
    """One page's worth of forms: the customer (picked or new), the contact, the project, the
    files; `is_valid()` checks each and the duplicates again; `intake()` gives
    services.Intake."""

    def __init__(self, data=None, *, user, proposal, thread: bool = True):
        guess = proposal.guess
        self.user, self.proposal, self.is_bound = user, proposal, data is not None
        self.choice = ChoiceForm(
            data, duplicates=proposal.duplicates, initial={"customer": proposal.preferred or NEW}
        )
        self.customer = CustomerForm(
            data, user=user, creating=True, prefix="c", initial={
                "company_name": guess.company_name, "country": guess.country,
                "website": guess.website, "address": guess.address,
                "source": {"web": "website"}.get(proposal.source, ""),
                **({"owner": proposal.owner.username} if proposal.owner else {}),
            },
        )  # fmt: skip
        keep = set(CUSTOMER_FIELDS) | set(self.customer.coding_names)
        keep |= {n for n, f in self.customer.fields.items() if f.required}
        for name in list(self.customer.fields):
            if name not in keep:
                del self.customer.fields[name]
        self.contact = ContactForm(
            data, prefix="k", initial={
                "name": guess.contact_name, "email": guess.email, "phone": guess.phone,
            },
        )  # fmt: skip
        self.project = ProjectForm(
            data, user=user, prefix="p", initial={
                "name": guess.part_name, "received_on": proposal.received_at.date(),
                "channel": proposal.channel, "request": proposal.request,
                "target_quantity": guess.quantity, "quantity_unit": guess.quantity_unit,
            },
        )  # fmt: skip
        for name in list(self.project.fields):
            if name not in PROJECT_FIELDS:
                del self.project.fields[name]
        self.files = FilesForm(data, offered=proposal.files, prefix="f")
        self.extra = ExtraForm(data, initial={"language": guess.language, "whole_thread": True})
        if not thread:
            del self.extra.fields["whole_thread"]
        self.non_field_errors: list[str] = []
        self.picked: Customer | None = None

    @property
    def parts(self):
        return [self.choice, self.contact, self.project, self.files, self.extra]

    @property
    def new_customer(self) -> bool:
        return self.picked is None

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        valid = all([part.is_valid() for part in self.parts])
        if not self.choice.is_valid():
            return False
        self.picked = self._picked()
        if self.picked is None:
            valid = self.customer.is_valid() and valid
            if self.customer.is_valid() and self._new_duplicates():
                valid = False
        country = self.picked.country if self.picked else self.customer.cleaned_data.get("country")
        if self.contact.is_valid() and self.contact.cleaned_data.get("phone"):
            try:
                phone = to_e164(self.contact.cleaned_data["phone"], country or "")
            except BadPhone:
                self.contact.add_error("phone", BAD_PHONE)
                valid = False
            else:
                self.contact.cleaned_data["phone"] = phone
        return valid and not self.non_field_errors

    def _picked(self) -> Customer | None:
        data = self.choice.cleaned_data
        code = (data.get("other") or "").strip().upper()
        if not code and data.get("customer") != NEW:
            code = data.get("customer")
        if not code:
            return None
        found = Customer.objects.visible_to(self.user).filter(code=code).first()
        if found is None or not _editable(self.user, found):
            self.choice.add_error(
                "other", _("%(code)s is not a customer you may add enquiries to.") % {"code": code}
            )
            self.non_field_errors.append(str(_("Pick a customer you may add enquiries to.")))
            return None
        return found

    def _new_duplicates(self) -> bool:
        """A new customer that looks like one in the archive not offered yet: show it and ask
        again (the customer form's duplicate check)."""
        data = self.customer.cleaned_data
        found = find_duplicates(
            self.user, company_name=data.get("company_name", ""),
            email=self.contact.cleaned_data.get("email", "") if self.contact.is_valid() else "",
            phone=data.get("phone", ""), website=data.get("website", ""),
        )  # fmt: skip
        offered = set(filter(None, (self.choice.data.get("offered") or "").split(",")))
        fresh = [d for d in found if d.customer.code not in offered]
        if not fresh:
            return False
        known = {d.customer.code: d for d in [*self.choice.duplicates, *found]}
        self.choice.set_duplicates(known.values())
        self.choice.data = self.choice.data.copy()
        self.choice.data["offered"] = ",".join(d.customer.code for d in self.choice.duplicates)
        self.non_field_errors.append(
            str(_("This customer may already be in the archive: pick it, or choose a new "
                  "customer again."))
        )  # fmt: skip
        return True

    def errors(self) -> dict:
        """Every part's errors, by the field names the page posts (`c-company_name` …)."""
        found = {}
        for part in [*self.parts, self.customer]:
            if part.is_bound and part.errors:
                for name, messages in part.errors.items():
                    key = part.add_prefix(name) if name != "__all__" else "__all__"
                    found.setdefault(key, []).extend(messages)
        if self.non_field_errors:
            found.setdefault("__all__", []).extend(self.non_field_errors)
        return found

    def intake(self) -> services.Intake:
        new = None
        if self.picked is None:
            new = self.customer.save(commit=False)
        extra = self.extra.cleaned_data
        return services.Intake(
            customer=self.picked,
            new_customer=new,
            contact=dict(self.contact.cleaned_data),
            project={k: v for k, v in self.project.cleaned_data.items() if k in PROJECT_FIELDS},
            files=self.files.chosen(),
            whole_thread=extra.get("whole_thread", False),
            language=extra.get("language") or "en",
        )


def _editable(user, customer) -> bool:
    return Customer.objects.editable_by(user).filter(pk=customer.pk).exists()


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        staff(), label=_("Assign to"), to_field_name="username", empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff().filter(role__in=["sales", "manager"])


class FormSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("The website form takes enquiries"), required=False)
