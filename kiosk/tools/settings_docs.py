"""Write the settings table into README.md and docs/configuration.md from the one
declaration of the settings (:class:`kiosk.app.config.Config`).

``python -m kiosk.tools.settings_docs`` rewrites the part of each page between the
markers below; tests/test_config.py fails while a page differs from the declaration.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.app.config import settings_table

BEGIN = "<!-- settings table: written by python -m kiosk.tools.settings_docs, do not edit -->"
END = "<!-- end of settings table -->"

#: Each page with the settings table, and the folder its links to docs/ are relative to.
PAGES = {"README.md": "docs/", "docs/configuration.md": ""}


def with_table(text: str, docs_folder: str) -> str:
    """``text`` with the part between the markers replaced by the current table."""
    head, begin, rest = text.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"the page has no {BEGIN!r} ... {END!r} markers")
    return f"{head}{BEGIN}\n{settings_table(docs_folder)}{END}{tail}"


ROOT = Path(__file__).resolve().parents[2]


def main(root: Path = ROOT) -> int:
    for name, docs_folder in PAGES.items():
        page = root / name
        text = page.read_text("utf-8")
        new = with_table(text, docs_folder)
        if new != text:
            page.write_text(new, "utf-8")
            print(f"{name}: settings table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
