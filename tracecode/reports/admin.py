"""Targets and closed months are set and closed on the plan page; the admin site shows them,
and a closed month never changes."""

from django.contrib import admin

from .models import MonthClose, Target


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(ReadOnly):
    list_display = ("salesperson", "month", "order_value", "new_customers", "leads_followed")
    list_filter = ("month",)


@admin.register(MonthClose)
class MonthCloseAdmin(ReadOnly):
    list_display = ("month", "closed_by", "closed_at", "base_currency")
