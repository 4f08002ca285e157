"""Administrators extend the lists of the customer sheet here. Customers themselves are
created and changed in the app (their code is given there and never changes): the admin
site shows them read-only."""

from django.contrib import admin

from .models import (
    Background,
    BusinessStatus,
    ChangeRecord,
    Contact,
    Customer,
    CustomerSource,
    Industry,
)


class ListEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "code", "position", "active")
    list_editable = ("name_zh", "position", "active")
    search_fields = ("name", "name_zh", "code")

    def has_delete_permission(self, request, obj=None):
        return False  # entries in use stay; untick "offered" instead

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


for model in (Industry, CustomerSource, Background, BusinessStatus):
    admin.site.register(model, ListEntryAdmin)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("code", "name", "job_title", "email", "phone", "is_main")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnly):
    list_display = ("code", "company_name", "country", "owner", "status", "archived_at")
    list_filter = ("status", "industry", "country", "is_key_account")
    search_fields = ("code", "company_name", "email")
    inlines = [ContactInline]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnly):
    list_display = ("changed_at", "subject", "action", "field", "old_value", "new_value")
    search_fields = ("subject",)
