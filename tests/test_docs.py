"""The documentation names only this project's own files: every link resolves inside the
repository, and no page points at a path on the machine it was written on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
#: Folders of the machines the project was developed on, never part of a checkout.
FOREIGN = re.compile(r"/work/|\.\./shared/|/home/[a-z]")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository(page: Path) -> None:
    text = page.read_text("utf-8")
    bad = []
    for match in re.finditer(r"\]\(([^)#\s]+)", text):
        target = match.group(1)
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        resolved = (page.parent / target).resolve()
        if ROOT not in resolved.parents or not resolved.exists():
            bad.append(target)
    assert not bad, f"{page.name} links to files outside the repository or missing: {bad}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_path_outside_the_repository(page: Path) -> None:
    found = [m.group(0) for m in FOREIGN.finditer(page.read_text("utf-8"))]
    assert not found, f"{page.name} names files outside the repository: {found}"
