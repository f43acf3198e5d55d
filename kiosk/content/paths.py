"""The one place that knows where bundled files live.

The fonts, drawings, illustrations and stylesheets (``kiosk/assets/``) and the content
files (``kiosk/content/``) are package data: they ship inside the wheel and are found
through :mod:`importlib.resources`, so the kiosk works the same from a checkout, an
editable install and an installed wheel, wherever the current folder is.

ReportLab's ``TTFont`` and Qt's ``QFontDatabase`` need real files, so these functions
return :class:`~pathlib.Path`. pip always installs a wheel as files, and so do editable
installs and PyInstaller, so ``files("kiosk")`` is a real folder; a package imported
from a zip archive is refused with a sentence that says so.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path, PurePosixPath


@cache
def _package_dir() -> Path:
    root = files("kiosk")
    if not isinstance(root, Path):
        raise RuntimeError(
            f"The kiosk package is not installed as files ({root!r}): its fonts and "
            "drawings must be real files. Install it with pip (a wheel or -e)."
        )
    return root


def assets_dir() -> Path:
    """The bundled fonts, images, stylesheets and body drawings (``kiosk/assets/``)."""
    return _package_dir() / "assets"


def bundled_content_dir() -> Path:
    """The bundled content files (``kiosk/content/``)."""
    return _package_dir() / "content"


def asset(relative: str) -> Path:
    """A file under ``assets/``; refuses absolute paths and ``..`` so content cannot escape."""
    rel = PurePosixPath(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"asset path must stay inside assets/: {relative!r}")
    return assets_dir().joinpath(*rel.parts)
