"""Administrators set who gets new enquiries (assignment rules) and may look at enquiries."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tracecode.customers.countries import country_choices

from .models import AssignmentRule, Enquiry
from .services import can_be_assigned


class AssignmentRuleForm(forms.ModelForm):
    class Meta:
        model = AssignmentRule
        fields = ["kind", "country", "industry", "assignee", "position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), required=False, choices=[("", "—"), *country_choices()]
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == AssignmentRule.Kind.COUNTRY and not data.get("country"):
            self.add_error("country", _("A rule by country names the country."))
        if kind == AssignmentRule.Kind.INDUSTRY and not data.get("industry"):
            self.add_error("industry", _("A rule by industry names the industry."))
        if data.get("assignee") and not can_be_assigned(data["assignee"]):
            self.add_error("assignee", _("Enquiries go to sales people and managers."))
        return data


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    form = AssignmentRuleForm
    list_display = ["__str__", "kind", "country", "industry", "assignee", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "status", "company_name", "part_name", "assigned_to"]
    list_filter = ["status", "source"]
    search_fields = ["company_name", "contact_name", "email", "part_name"]
    readonly_fields = [f.name for f in Enquiry._meta.fields]

    def has_add_permission(self, request):
        return False  # enquiries arrive through the intake, never typed in here
