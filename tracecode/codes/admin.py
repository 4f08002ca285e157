from django.contrib import admin

from .models import CodeEntry, Counter, CounterChange, Scheme


class ReadOnlyAdmin(admin.ModelAdmin):
    """The registry and counters change only through the coding engine, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "label", "updated_at", "updated_by")


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "scope", "last")
    list_filter = ("scheme",)
    search_fields = ("scope",)


@admin.register(CounterChange)
class CounterChangeAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "scope", "old_last", "new_last", "changed_by", "changed_at", "reason")


@admin.register(CodeEntry)
class CodeEntryAdmin(ReadOnlyAdmin):
    list_display = ("code", "scheme", "status", "origin", "record_type", "created_at", "created_by")
    list_filter = ("scheme", "status", "origin")
    search_fields = ("code", "parent_code")
