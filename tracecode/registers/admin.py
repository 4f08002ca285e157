"""Administrators extend the material classes here; the subclasses are the material scheme's
`subclass` table (load a scheme file on the Schemes page to add one). Parts, materials and
suppliers are created and changed in the app, where their codes are given: the admin site
shows them read-only. Who may keep the materials and suppliers is the permission
"Can keep the registers of materials and suppliers", given to a user or a group on the
user's page."""

from django.contrib import admin

from .models import Material, MaterialClass, Part, RegisterChange, Supplier


@admin.register(MaterialClass)
class MaterialClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh")
    list_editable = ("name", "name_zh")
    search_fields = ("code", "name", "name_zh")

    def has_delete_permission(self, request, obj=None):
        return False  # materials of the class keep it

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Part)
class PartAdmin(ReadOnly):
    list_display = ("code", "customer", "customer_part_number", "name", "hs_code", "active")
    list_filter = ("active",)
    search_fields = ("code", "customer_part_number", "name", "customer__code")


@admin.register(Material)
class MaterialAdmin(ReadOnly):
    list_display = ("code", "material_class", "subclass", "name", "unit", "active")
    list_filter = ("material_class", "active")
    search_fields = ("code", "name", "specification")


@admin.register(Supplier)
class SupplierAdmin(ReadOnly):
    list_display = ("code", "name", "country", "region", "active")
    list_filter = ("country", "active")
    search_fields = ("code", "name", "email")


@admin.register(RegisterChange)
class RegisterChangeAdmin(ReadOnly):
    list_display = ("changed_at", "code", "action", "field", "old_value", "new_value")
    search_fields = ("code",)
