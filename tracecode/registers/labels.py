"""What material classes and subclasses are called, read without writing anything (pages,
rows and search entries ask; only creating a material installs its scheme)."""

from tracecode.codes.services import schemes_to_check_against

from . import coding
from .models import MaterialClass


def _subclass_entry(value: str):
    known = schemes_to_check_against()
    if "material" not in known or not value:
        return None
    return known["material"].tables.get("subclass", {}).get(value)


def class_label(code: str) -> str:
    found = MaterialClass.objects.filter(code=code).first()
    return found.label if found else ""


def class_text(code: str) -> str:
    """`01 Raw material`."""
    return f"{code} {class_label(code)}".strip()


def subclass_label(value: str) -> str:
    entry = _subclass_entry(value)
    return coding.table_label(entry) if entry else ""


def full_name(material) -> str:
    """The full name kept beside the code: `Raw material: adhesive base material -
    CPIDE131218DA1` (原材料-有胶基材-CPIDE131218DA1 in Chinese)."""
    described = subclass_label(material.subclass) or class_label(material.material_class)
    return f"{described} - {material.name}" if described else material.name


def every_language(material) -> list[str]:
    """The class's and subclass's names in English and Chinese: what search finds it by."""
    names = []
    found = MaterialClass.objects.filter(code=material.material_class).first()
    if found:
        names += [found.name, found.name_zh]
    if entry := _subclass_entry(material.subclass):
        names += [entry.label, entry.label_zh]
    return [n for n in names if n]
