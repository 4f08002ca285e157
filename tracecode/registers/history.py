"""Field values as a register's history keeps them (raw, language-neutral) and as people
read them: a material as its code, a country as its ISO code, a list as its values."""

from django.utils.translation import gettext

from tracecode.customers.history import display_value
from tracecode.customers.history import raw_value as plain_raw_value


def raw_value(record, name: str) -> str:
    """What the history stores for a field of a part, material or supplier."""
    if name == "contacts":
        return "; ".join(
            " ".join(v for v in (c.name, c.email, c.phone) if v) for c in record.contacts.all()
        )
    field = record._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(getattr(record, name).values_list("code", flat=True)))
    value = getattr(record, name)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return plain_raw_value(record, name)


def snapshot(record, names) -> dict[str, str]:
    return {name: raw_value(record, name) for name in names}


def display(model, name: str, raw: str) -> str:
    """A stored value as the reader understands it, in the active language."""
    return display_value(model, name, raw)


def label(model, name: str) -> str:
    if name == "contacts":
        return gettext("contacts")
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name
