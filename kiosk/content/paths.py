"""The one place that knows where bundled files live.

The design card keeps ``assets/`` at the top of the repository, next to the package, and
the content files inside the package (``kiosk/content/``). The kiosk runs from an
editable install (see README), so both are found relative to this file.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

_PACKAGE = Path(__file__).resolve().parent.parent


def assets_dir() -> Path:
    return _PACKAGE.parent / "assets"


def bundled_content_dir() -> Path:
    return _PACKAGE / "content"


def asset(relative: str) -> Path:
    """A file under ``assets/``; refuses absolute paths and ``..`` so content cannot escape."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"asset path must stay inside assets/: {relative!r}")
    return assets_dir().joinpath(*rel.parts)
