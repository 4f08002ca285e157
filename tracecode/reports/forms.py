"""The reports' filters and the monthly targets, checked the same on pages and in the API."""

import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tracecode.accounts.models import Role
from tracecode.customers.countries import country_choices
from tracecode.customers.forms import staff
from tracecode.customers.models import Industry
from tracecode.leads.forms import MonthField
from tracecode.sales.trade import CURRENCIES

from . import figures

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A select built here, not through a template per option: the country list has 250
    options, 8 ms of CPU through Django's option templates, 1.6 ms here."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


MAX_YEARS = 5  # a longer period is refused: each report groups it by month


class ReportFilterForm(forms.Form):
    MARKET = [("", _("all")), ("domestic", _("domestic")), ("international", _("international"))]

    date_from = forms.DateField(label=_("Period start"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Period end"), required=False, widget=DATE)
    salesperson = forms.ModelChoiceField(
        staff(),
        label=_("Salesperson"),
        required=False,
        to_field_name="username",
        widget=QuickSelect,
    )
    market = forms.ChoiceField(
        label=_("Market"), required=False, choices=MARKET, widget=QuickSelect
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    industry = forms.ModelChoiceField(
        Industry.objects.all(),
        label=_("Industry"),
        required=False,
        to_field_name="code",
        widget=QuickSelect,
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False, widget=QuickSelect)
    months = forms.IntegerField(
        label=_("Quiet for months"), required=False, min_value=1, max_value=120
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        default = figures.Filters.default(self.today)
        self.fields["date_from"].initial = default.date_from
        self.fields["date_to"].initial = default.date_to
        self.fields["country"].choices = [("", _("all")), *country_choices()]
        self.fields["currency"].choices = [("", _("all")), *CURRENCIES]
        self.fields["salesperson"].queryset = staff().exclude(role=Role.VIEWER)
        for name in ("salesperson", "industry"):
            self.fields[name].empty_label = _("all")

    def clean(self):
        data = super().clean()
        default = figures.Filters.default(self.today)
        start = data.get("date_from") or default.date_from
        end = data.get("date_to") or default.date_to
        if end < start:
            self.add_error("date_to", _("The end of the period must be after its start."))
        elif (end - start).days > MAX_YEARS * 366:
            self.add_error("date_from", _("Choose a period of at most %(n)s years.")
                           % {"n": MAX_YEARS})  # fmt: skip
        data["date_from"], data["date_to"] = start, end
        return data

    def filters(self) -> figures.Filters:
        """The valid form as the reports' Filters (the defaults when it is not bound)."""
        if not self.is_bound:
            return figures.Filters.default(self.today)
        data = self.cleaned_data
        return figures.Filters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            salesperson=data["salesperson"].pk if data.get("salesperson") else None,
            market=data.get("market") or "",
            country=data.get("country") or "",
            industry=data["industry"].pk if data.get("industry") else None,
            currency=data.get("currency") or "",
            months=data.get("months") or 6,
        )


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def chosen(self, today=None) -> datetime.date:
        today = today or timezone.localdate()
        if self.is_bound and self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"]
        return today.replace(day=1)


class TargetForm(forms.Form):
    order_value = forms.DecimalField(
        label=_("Order value"), min_value=0, max_digits=14, decimal_places=2
    )
    new_customers = forms.IntegerField(label=_("New customers"), min_value=0, max_value=10_000)
    leads_followed = forms.IntegerField(label=_("Leads followed"), min_value=0, max_value=10_000)
