"""Leads are reported and moved on in the app (their code and history are kept there); the
admin site shows them read-only."""

from django.contrib import admin

from .models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("code", "who", "product", "state", "reported_by", "assigned_to", "reported_on")
    list_filter = ("state",)
    search_fields = ("code", "company_name", "product")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
