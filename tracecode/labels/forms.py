from django import forms
from django.utils.translation import gettext_lazy as _

from .render import DEFAULT_SIZE, SIZES
from .sources import MAX_COUNT


class PrintForm(forms.Form):
    """How to print: the label size, how many, and where on a partly used sheet to start."""

    size = forms.ChoiceField(
        label=_("Label size"),
        choices=[(s.name, s.title) for s in SIZES.values()],
        initial=DEFAULT_SIZE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=MAX_COUNT)
    start = forms.IntegerField(
        label=_("Start at label"),
        min_value=1,
        max_value=SIZES["a4"].per_page,
        initial=1,
        required=False,
        help_text=_("On a partly used A4 sheet: the first free place (1 is top left)."),
    )

    def __init__(self, *args, count_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if count_label:
            self.fields["count"].label = count_label
