"""`{% load reports %}`: report cells as the page shows them, and the charts' data."""

from django import template

from tracecode.reports import figures

register = template.Library()


@register.filter
def cell(row: dict, column) -> str:
    """`{{ row|cell:column }}`: the value of `column` in `row`, formatted for its kind."""
    return figures.text(row.get(column.key), column.kind)


@register.filter
def raw(row: dict, column) -> str:
    """`{{ row|raw:column }}`: the value as the machine reads it (data-value)."""
    value = row.get(column.key)
    if value is None:
        return ""
    if column.kind in ("month", "date") and not isinstance(value, str):
        return value.isoformat()
    return str(value)


@register.filter
def is_number(column) -> bool:
    return column.kind in ("int", "money", "percent", "days")
