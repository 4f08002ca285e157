"""The registers' schemes: installed the first time a register needs one, and read for the
values a record's code is built from.

Each register codes by a scheme of its own name (`product`, `material`, `supplier`). When no
scheme of that name is in force, its default is added from the presets (`material` from
examples/material.toml, the others from registers.toml); one an administrator loaded is
never replaced. Loading another scheme changes the codes given from then on, never the
codes already given.
"""

from django.utils.translation import get_language

from tracecode.codes import core
from tracecode.codes import services as codes
from tracecode.codes.models import Scheme

DEFAULT_PRESETS = {"product": "registers", "material": "examples/material", "supplier": "registers"}


def scheme(name: str) -> core.Scheme:
    """The scheme in force for a register, installing its default the first time."""
    if name not in codes.schemes():  # first: the REKO preset on an empty table
        install_default(name)
    return codes.scheme(name)


def install_default(name: str) -> None:
    """Add a register's default scheme unless one of that name exists (idempotent under
    concurrency: a second process's insert is ignored)."""
    preset = DEFAULT_PRESETS[name]
    sch = core.load_preset(preset)[name]
    Scheme.objects.bulk_create(
        [
            Scheme(
                name=name, label=sch.label, definition=sch.as_dict(),
                source=core.preset_text(preset),
            )
        ],
        ignore_conflicts=True,
    )  # fmt: skip
    codes.forget_schemes()


def values_for(record, sch: core.Scheme) -> dict[str, str]:
    """The values the scheme's placeholders take from `record`: its own fields by the
    register's `coding_fields`, anything else from `record.code_values`."""
    values = {}
    for name in sch.field_names:
        attribute = record.coding_fields.get(name)
        value = getattr(record, attribute) if attribute else (record.code_values or {}).get(name)
        values[name] = "" if value is None else str(value)
    return values


def extra_fields(sch: core.Scheme, model) -> list[str]:
    """The scheme's placeholders the register has no field for (asked for at creation)."""
    return [name for name in sch.field_names if name not in model.coding_fields]


def table_label(entry: core.TableEntry) -> str:
    chinese = (get_language() or "").startswith("zh")
    return entry.label_zh if chinese and entry.label_zh else entry.label


def table_choices(sch: core.Scheme, name: str) -> list[tuple[str, str]] | None:
    """`[("01", "01 · Machined parts"), …]` in the reader's language; None without a table."""
    table = sch.tables.get(name)
    if not table:
        return None
    return [(value, f"{value} · {table_label(entry)}") for value, entry in table.items()]


def value_label(sch: core.Scheme, name: str, value: str) -> str:
    """What a table value means (`Machined parts`), or "" when the scheme does not say."""
    entry = sch.tables.get(name, {}).get(value)
    return table_label(entry) if entry else ""
