"""The forms of the import pages: the upload, the mapping of unknown headers, an export."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import sheets, writing

SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(".xlsx, or CSV in UTF-8 or GBK. Nothing is saved before the preview."),
    )
    keep_good = forms.BooleanField(
        label=_("When some rows fail, import the good ones"),
        required=False,
        help_text=_("Unticked: all or nothing."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.name, k.label) for k in sheets.kinds(user) if k.may_import(user)
        ]
        self.fields["file"].widget.attrs["accept"] = ",".join(SUFFIXES)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.FILES_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(limit)s can be imported at once.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        if not (upload.name or "").lower().endswith(SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or a CSV file."))
        return upload


class MappingForm(forms.Form):
    """What each header the import did not know is: a column, or nothing (left out)."""

    def __init__(self, *args, unknown: dict[str, list[str]], columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— leave it out")), *columns]
        self.headers: dict[str, str] = {}
        for sheet, headers in unknown.items():
            for header in headers:
                name = f"h{len(self.headers)}"
                self.headers[name] = header
                self.fields[name] = forms.ChoiceField(
                    label=f"{sheet}: {header}", choices=choices, required=False
                )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(name, "") for name, header in self.headers.items()}


class ExportForm(forms.Form):
    """An export of a kind that has no list page of its own, narrowed to one customer."""

    kind = forms.ChoiceField(label=_("What"))
    customer = forms.CharField(label=_("Customer code"), required=False, max_length=40)
    fmt = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in writing.FORMATS])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in sheets.kinds(user)]
