from django.contrib import admin

from .models import InboxFile


@admin.register(InboxFile)
class InboxFileAdmin(admin.ModelAdmin):
    """The record of the watched folder: read only, as it happened."""

    list_display = ["handled_at", "name", "outcome", "problem", "code", "moved_to"]
    list_filter = ["outcome", "problem"]
    search_fields = ["name", "code", "reason"]
    readonly_fields = [f.name for f in InboxFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
