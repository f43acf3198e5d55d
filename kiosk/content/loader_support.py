"""The loader's shared parts: problems that name file, key and reason, and a reader of
TOML tables that records problems instead of raising. Used by ``loader`` and ``locales``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class ContentProblem:
    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.key}: {self.reason}" if self.key else f"{self.file}: {self.reason}"
        )


class ContentInvalid(Exception):
    """The content folder has problems; ``problems`` lists every one."""

    def __init__(self, folder: Path, problems: Iterable[ContentProblem]) -> None:
        self.folder = folder
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in content folder {folder}:\n{lines}")


class Reader:
    """Typed access to one parsed TOML file that records problems instead of raising."""

    def __init__(self, file: str, problems: list[ContentProblem]) -> None:
        self.file = file
        self.problems = problems

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(ContentProblem(self.file, key, reason))

    def get(
        self, table: dict[str, Any], where: str, key: str, kind: type, required: bool = True
    ) -> Any:
        path = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                self.problem(path, "is missing")
            return None
        value = table[key]
        # bool is an int in Python; an admin who writes `max_length = true` means a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(path, f"must be {kind_name(kind)}, not {kind_name(type(value))}")
            return None
        if isinstance(value, str) and required and not value.strip():
            self.problem(path, "must not be empty")
            return None
        return value

    def known_keys(self, table: dict[str, Any], where: str, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                self.problem(
                    f"{where}.{key}" if where else key,
                    f"is not a known key here (known: {', '.join(sorted(allowed))})",
                )

    def ident(self, table: dict[str, Any], where: str, key: str = "id") -> str | None:
        value: str | None = self.get(table, where, key, str)
        if value is not None and not _ID.match(value):
            self.problem(
                f"{where}.{key}",
                f'"{value}" is not a valid id (use lowercase letters, digits, - and _)',
            )
            return None
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(key, f"must be a list of tables ([[{key}]])")
            return []
        return value


def kind_name(kind: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
        float: "a number",
    }.get(kind, kind.__name__)


def paragraphs(text: str) -> tuple[str, ...]:
    blocks = re.split(r"\n\s*\n", text.strip())
    return tuple(
        " ".join(b.split()) if not is_list(b) else tidy_list(b) for b in blocks if b.strip()
    )


def is_list(block: str) -> bool:
    lines = [line.strip() for line in block.strip().splitlines()]
    return all(line.startswith("- ") for line in lines)


def tidy_list(block: str) -> str:
    return "\n".join(" ".join(line.split()) for line in block.strip().splitlines())
