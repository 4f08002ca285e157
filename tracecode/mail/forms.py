from django import forms
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Signature
from .services.compose import LANGUAGES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def address_list(value: str) -> list[str]:
    addresses = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("%(address)s is not a mail address."), params={"address": address}
            ) from None
    return addresses


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_(".eml or mbox files"),
        help_text=_("Several at once; mails already imported are skipped."),
    )


class FileForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    whole_thread = forms.BooleanField(label=_("File the whole thread"), required=False)


class ComposeForm(forms.Form):
    """A new mail, a reply or a forward: what is typed, uploaded and picked from the record.

    `offered`: the files of the record one may attach (services.compose.Attachable);
    `with_code`: ask which code the sent mail is filed under (replies and forwards; a new
    mail's code is the page's).
    """

    code = forms.CharField(
        label=_("File under"),
        max_length=40,
        help_text=_("The code the sent mail is filed under; the subject carries it."),
    )
    to = forms.CharField(label=_("To"), max_length=1000)
    cc = forms.CharField(label=_("Cc"), max_length=1000, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    template = forms.ChoiceField(label=_("Template"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGES)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    attachments = MultipleFileField(label=_("Attach files from your computer"), required=False)
    files = forms.MultipleChoiceField(
        label=_("Attach files of the record"), required=False, widget=forms.CheckboxSelectMultiple
    )
    draft = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, offered=(), with_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        self.fields["files"].choices = [(a.key, a.label) for a in self.offered]
        self.fields["template"].choices = [
            ("", "—"),
            *[(t.key, str(t)) for t in services.compose.templates()],
        ]
        if not with_code:
            del self.fields["code"]

    def clean_to(self):
        return address_list(self.cleaned_data["to"])

    def clean_cc(self):
        return address_list(self.cleaned_data["cc"])

    def clean_attachments(self):
        limit = services.SEND_ATTACHMENTS_LIMIT
        files = self.cleaned_data["attachments"]
        total = sum(f.size for f in files)
        if total > limit:
            raise forms.ValidationError(
                _("The attachments come to %(size)s; at most %(limit)s can be sent in one mail."),
                params={
                    "size": filesizeformat(total),
                    "limit": filesizeformat(limit),
                },
            )
        return files

    def groups(self):
        """The offered files by group, each with whether it is ticked: for the page."""
        ticked = set(self["files"].value() or [])
        groups: dict[str, list] = {}
        for item in self.offered:
            groups.setdefault(item.group, []).append((item, item.key in ticked))
        return list(groups.items())


class SignatureForm(forms.ModelForm):
    class Meta:
        model = Signature
        fields = ["text", "text_zh"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "text_zh": forms.Textarea(attrs={"rows": 6}),
        }


class ChatImportForm(forms.Form):
    file = forms.FileField(
        label=_("WhatsApp export"),
        required=False,
        help_text=_(
            "The .txt of an exported chat, or the .zip with its media. Import the same chat "
            "again later: only the new messages are added."
        ),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Empty: each message is filed under the codes it mentions."),
    )
    date_order = forms.ChoiceField(
        label=_("Date order"),
        required=False,
        choices=[("", "—"), ("dmy", "dmy"), ("mdy", "mdy"), ("ymd", "ymd")],
        widget=forms.RadioSelect,
    )
    # The export kept while the page asks for its date order.
    held = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("held"):
            self.add_error("file", _("Choose the exported chat file."))
        return data


class ChatFileForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
