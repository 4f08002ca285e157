"""Panels other apps add to the customer sheet (care: credit, key account, archive review).

The customers app imports no app above it, so an app above adds its panel from its
AppConfig.ready(): `panels.add("care/_sheet_panel.html", context)`, where `context(request,
customer)` returns what the template reads besides `customer`. The sheet shows them with
`{% load sheet_panels %}{% sheet_panels customer %}`.
"""

from collections.abc import Callable

_panels: list[tuple[str, Callable]] = []


def add(template: str, context: Callable) -> None:
    """Show `template` on every sheet, with `context(request, customer)` (once per template)."""
    _panels[:] = [(t, c) for t, c in _panels if t != template]
    _panels.append((template, context))


def panels() -> list[tuple[str, Callable]]:
    return list(_panels)
