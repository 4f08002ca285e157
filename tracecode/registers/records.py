"""The registers' kinds in the record registry: parts (under their customer), materials and
suppliers (under no customer: staff-wide).

How each shows on a page, what the search index holds for it and where a part's drawings
are filed; registered from RegistersConfig.ready(). What is filed under their codes (the
quotation and order lines that name a part, the BOM lines and lots that name a material or
supplier) is registered by the app holding those records (sales).

Search entries of materials and suppliers carry `"customer": None`: their kinds have no
customer path, so the search finds them for every member of staff (search/kinds.py).
"""

from django.utils.translation import gettext_lazy as _

from tracecode.codes import registry
from tracecode.codes.registry import Row
from tracecode.search import index

from . import labels
from .models import Material, Part, Supplier, SupplierContact


def _text(*values) -> str:
    return " ".join(str(v) for v in values if v not in (None, ""))


def _state(record) -> dict:
    if record.active:
        return {}
    return {"state": _("no longer in use"), "state_key": "cancelled"}


def part_row(part: Part) -> Row:
    details = [d for d in (part.material_spec, part.process) if d]
    if part.hs_code:
        details.append(f"HS {part.hs_code_display}")
    if part.drawing_revision:
        details.append(_("rev. %(revision)s") % {"revision": part.drawing_revision})
    return Row(
        title=part.title,
        url=part.get_absolute_url(),
        code=part.code,
        date=part.created_at,
        details=details,
        **_state(part),
    )


def part_entries(part: Part):
    material = part.material
    yield {
        "kind": "part",
        "code": part.code,
        "title": f"{part.customer_part_number} {part.name}",
        "text": _text(
            part.material_spec,
            part.process,
            part.hs_code,
            part.hs_code_display,
            part.drawing_revision,
            part.notes,
            material.name if material else "",
        ),  # fmt: skip
        "customer": part.customer_id,
        "url": part.get_absolute_url(),
        "date": part.created_at,
        "parents": registry.lineage(part),
        "codes": [material.code] if material else [],
    }


def material_row(material: Material) -> Row:
    details = [labels.class_text(material.material_class)]
    details += [d for d in (material.manufacturer, material.get_unit_display()) if d]
    return Row(
        title=labels.full_name(material),
        url=material.get_absolute_url(),
        code=material.code,
        date=material.created_at,
        details=details,
        **_state(material),
    )


def material_entries(material: Material):
    yield {
        "kind": "material",
        "code": material.code,
        "title": labels.full_name(material),
        "text": _text(
            material.name,
            material.specification,
            material.manufacturer,
            material.notes,
            *labels.every_language(material),
        ),  # fmt: skip
        "customer": None,  # staff-wide
        "url": material.get_absolute_url(),
        "date": material.created_at,
        "parents": [],
    }


def supplier_row(supplier: Supplier) -> Row:
    details = [d for d in (supplier.country, supplier.phone, supplier.email) if d]
    return Row(
        title=supplier.name,
        url=supplier.get_absolute_url(),
        code=supplier.code,
        date=supplier.created_at,
        details=details,
        **_state(supplier),
    )


def supplier_entries(supplier: Supplier):
    contacts = list(supplier.contacts.all())
    materials = list(supplier.materials.all())
    yield {
        "kind": "supplier",
        "code": supplier.code,
        "title": supplier.name,
        "text": _text(
            supplier.address,
            supplier.phone,
            supplier.email,
            supplier.website,
            supplier.notes,
            *supplier.subclasses,
            *(_text(c.name, c.job_title, c.phone, c.email, c.wechat) for c in contacts),
            *(m.name for m in materials),
        ),  # fmt: skip
        "customer": None,  # staff-wide
        "url": supplier.get_absolute_url(),
        "date": supplier.created_at,
        "parents": [],
        "codes": [m.code for m in materials],  # found under the materials it supplies
    }


def register() -> None:
    K = registry.Kind
    registry.register(
        K("part", Part, _("Parts"), position=24, parent="customer", row=part_row,
          entries=part_entries, date="created_at", short_query=True,
          related=("customer", "material"),
          folder=lambda part: f"{part.customer_part_number} {part.name}",
          entries_queryset=lambda: Part.objects.select_related("customer", "material"))
    )  # fmt: skip
    registry.register(
        K("material", Material, _("Materials"), position=26, row=material_row,
          entries=material_entries, date="created_at", short_query=True)
    )  # fmt: skip
    registry.register(
        K("supplier", Supplier, _("Suppliers"), position=28, row=supplier_row,
          entries=supplier_entries, date="created_at", short_query=True,
          prefetch=("contacts", "materials"),
          entries_queryset=lambda: Supplier.objects.prefetch_related("contacts", "materials"))
    )  # fmt: skip
    index.follow(SupplierContact, lambda contact: contact.supplier)
