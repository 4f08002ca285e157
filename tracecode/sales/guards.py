"""Conditions other apps put on an order's moves (care: credit control on confirming).

Sales imports no app above it, so an app above registers its condition here from its
AppConfig.ready(): `guards.register("confirm", check)`. `workflow.perform()` calls every
check registered for the move with the locked order, inside the move's transaction and after
the workflow's own guards passed; a check refuses by raising `IllegalTransition` (a subclass
may carry an API error `code` and `fields`), and the move and everything in its transaction
are rolled back.
"""

from collections.abc import Callable

_checks: dict[str, list[Callable]] = {}


def register(action: str, check: Callable) -> None:
    """Call `check(order)` whenever an order is moved by `action` (once per check)."""
    checks = _checks.setdefault(action, [])
    if check not in checks:
        checks.append(check)


def check(order, action: str) -> None:
    """Run the checks registered for `action`; the first refusal raises."""
    for registered in _checks.get(action, ()):
        registered(order)
