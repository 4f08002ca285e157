"""The errors and problem reports of the coding engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    """One thing wrong with a scheme definition, located as precisely as possible."""

    message: str
    line: int | None = None
    scheme: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.scheme is not None:
            where = f"scheme.{self.scheme}" + (f".{self.field}" if self.field else "")
        elif self.field:
            where = self.field
        text = f"{where}: {self.message}" if where else self.message
        return f"line {self.line}: {text}" if self.line is not None else text


class SchemeError(Exception):
    """A scheme definition was refused; `.problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CodeOverflow(Exception):
    """The next code of a scope does not fit its scheme."""

    def __init__(self, message: str, scheme: str, scope: str) -> None:
        self.scheme = scheme
        self.scope = scope
        super().__init__(message)


class ValueProblem(ValueError):
    """A record value is missing or does not fit the scheme; `.field` names it."""

    def __init__(self, message: str, field: str | None) -> None:
        self.field = field
        super().__init__(message)


class ParseError(ValueError):
    """A text is not a code of the scheme(s); `.position` is where it stops matching."""

    def __init__(
        self,
        message: str,
        position: int,
        code: str = "",
        scheme: str | None = None,
        expected: str = "",
    ) -> None:
        self.position = position
        self.code = code
        self.scheme = scheme
        self.expected = expected
        super().__init__(message)
