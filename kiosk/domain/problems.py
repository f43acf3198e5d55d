"""One way to say what is wrong: every check of outside input (content files, the
settings file, a saved response, a body drawing, this machine) reports a list of
:class:`Problem`, each naming where (the file), the key in it and the reason, and every
command prints such a list with :func:`report`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    #: The file (or other source) at fault; "" when the caller names it.
    where: str
    #: The key, item or path inside it; "" when the file as a whole is at fault.
    key: str
    #: Why, in words a clinic admin can act on.
    reason: str

    def __str__(self) -> str:
        return format_problem(self)


def format_problem(problem: Problem) -> str:
    """``where: key: reason``, leaving out an empty ``where`` or ``key``."""
    return ": ".join(part for part in (problem.where, problem.key, problem.reason) if part)


def located(where: str, problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """``problems`` with ``where`` filled in where the check could not know it."""
    return tuple(p if p.where else Problem(where, p.key, p.reason) for p in problems)


def report(subject: str, problems: Iterable[Problem]) -> str:
    """What every command prints: a heading, then one problem a line."""
    found = tuple(problems)
    return "\n".join([f"{len(found)} problem(s) in {subject}:", *(f"  {p}" for p in found)])


class ProblemsFound(ValueError):
    """Something from outside cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, subject: str, problems: Iterable[Problem]) -> None:
        self.subject = subject
        self.problems = tuple(problems)
        super().__init__(report(subject, self.problems))


__all__ = ["Problem", "ProblemsFound", "format_problem", "located", "report"]
