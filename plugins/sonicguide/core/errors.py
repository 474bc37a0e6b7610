"""One exception hierarchy for the core.

Every user-facing problem is a :class:`Problem` that names the file, line and column, the field
path and what to do. Functions collect problems and raise one :class:`BrandError` carrying all of
them, so a user sees every mistake in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a user's input.

    ``line`` and ``column`` are 1-based; ``None`` when the problem has no position (a missing
    file, a folder-level problem).
    """

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        return f"{place(self.file, self.line, self.column)}: {self.field or '(document)'}: {self.message}"


def place(file: str, line: int | None, column: int | None) -> str:
    """``file:line:column``, as far as the position is known."""
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


class SonicguideError(Exception):
    """Base class of every error the core raises on purpose."""


class BrandError(SonicguideError):
    """A brand definition (or several) is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(set(problems), key=_problem_sort_key)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in brand definitions:"
        return "\n".join([head, *(f"  {problem}" for problem in self.problems)])


class AudioError(SonicguideError):
    """An audio file cannot be decoded or measured; ``message`` says why, ``fix`` (when known)
    what to do. ``cacheable`` is false for refusals that depend on the moment (a time budget), so
    that a later build tries again."""

    def __init__(self, file: str, message: str, *, fix: str | None = None, cacheable: bool = True) -> None:
        self.file = file
        self.message = message
        self.fix = fix
        self.cacheable = cacheable
        super().__init__(f"{file}: {message}" + (f"; {fix}" if fix else ""))

    @property
    def advice(self) -> str:
        """The reason and, when known, the fix: ``"<reason>; <fix>"``."""
        return f"{self.message}; {self.fix}" if self.fix else self.message


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.file, problem.line or 0, problem.column or 0, problem.field, problem.message)
