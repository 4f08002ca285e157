"""Panels other apps add to the customers' pages (care: credit, key account, archive review
on the sheet; key account visits due among the follow-ups).

The customers app imports no app above it, so an app above adds its panel from its
AppConfig.ready(): `panels.add("care/_sheet_panel.html", context)`, where `context(request,
customer)` returns what the template reads besides `customer`; `place="follow_ups"` adds one
to My follow-ups, with `context(request)`. The pages show them with `{% load sheet_panels %}`
and `{% sheet_panels customer %}` or `{% follow_up_panels %}`.
"""

from collections.abc import Callable

SHEET, FOLLOW_UPS = "sheet", "follow_ups"

_panels: dict[str, list[tuple[str, Callable]]] = {SHEET: [], FOLLOW_UPS: []}


def add(template: str, context: Callable, place: str = SHEET) -> None:
    """Show `template` with what `context` returns on every page of `place` (once each)."""
    panels = _panels[place]
    panels[:] = [(t, c) for t, c in panels if t != template]
    panels.append((template, context))


def panels(place: str = SHEET) -> list[tuple[str, Callable]]:
    return list(_panels[place])
