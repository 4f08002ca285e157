"""The label of a material: its code, full name and specification, for the bin or the reel.

Registered from RegistersConfig.ready(); the label sheet itself is tracecode/labels.
"""

from django.utils.translation import gettext_lazy as _

from tracecode.labels import sources
from tracecode.labels.sources import Label, both_languages

from .labels import full_name
from .models import Material


def material_label(material: Material) -> Label:
    """`01.01.00001 · Material 物料`, its full name, and its specification."""
    return Label(
        code=material.code,
        title=full_name(material),
        mark=both_languages(_("material")),
        description=" · ".join(p for p in (material.specification, material.manufacturer) if p),
    )


def register() -> None:
    sources.register(
        sources.Source(
            "material", "material", _("Material label"), labels=sources.copies(material_label),
            count_label=_("Copies"),
        )
    )  # fmt: skip
