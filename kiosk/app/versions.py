"""The content versions kept beside the records (part of the archive, ``kiosk.app.archive``).

A response names the content version it was answered with, and can only be read, flagged
and rendered against that version's content. So the first record of each version also
writes, beside the records, ``questionnaires/<version>.json`` (the FHIR Questionnaire,
for other systems) and ``questionnaires/<version>.content.json``: the content folder's
TOML files, verbatim, in one JSON file. ``ContentVersions`` loads an older version from
that snapshot with the ordinary loader.

Why this shape: a snapshot of the sources rather than of the loaded objects, because the
loader (with its checks) stays the one reader of content and no second format needs
keeping in step with the model; one file rather than a folder, because one file is
written atomically, so a crash can never leave half a version; never replaced, so the
first copy of a version is the one kept (a later, different copy under the same version
is logged: the content changed without a version bump). The images a version names must
still be in ``assets/``, as the loader checks them.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from kiosk.app.storage import atomic_write
from kiosk.content.cache import load_content  # the loader is imported when first used
from kiosk.content.loader_schema import FILES
from kiosk.content.loader_support import ContentInvalid
from kiosk.content.paths import assets_dir
from kiosk.domain.model import Content
from kiosk.interop import fhir

log = logging.getLogger("kiosk.clinic")

QUESTIONNAIRES = "questionnaires"
SNAPSHOT_FORMAT = "dn-kiosk-content/1"
_SAFE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")


def version_stem(version: str) -> str:
    """The file name stem for a content version; refuses anything that could be a path."""
    if _SAFE_VERSION.fullmatch(version) is None or ".." in version:
        raise ValueError(f"content version {version!r} cannot name a file")
    return version


def content_sources(folder: Path) -> dict[str, str]:
    """The content files the loader reads, by their path inside the folder, verbatim."""
    names = [n for n in FILES if (folder / n).is_file()]
    locales = folder / "locales"
    if locales.is_dir():
        names += [f"locales/{p.name}" for p in sorted(locales.glob("*.toml"))]
    return {name: (folder / name).read_text(encoding="utf-8") for name in names}


def manifest_version(sources: dict[str, str]) -> str | None:
    import tomllib

    try:
        value = tomllib.loads(sources.get("manifest.toml", "")).get("version")
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None


def keep_version(content: Content, sources: dict[str, str], folder: Path) -> bool:
    """Write ``folder/questionnaires/<version>.json`` and ``.content.json`` unless there.

    Each file is written atomically and never replaced: the first copy of a version is
    the one kept. Returns True if anything was written. Raises ``OSError`` or
    ``fhir.ExportError``.
    """
    stem = version_stem(content.version)
    snapshot = {"format": SNAPSHOT_FORMAT, "version": content.version, "files": sources}
    files = {
        f"{stem}.content.json": json.dumps(snapshot, ensure_ascii=False, indent=1),
        f"{stem}.json": json.dumps(fhir.questionnaire(content), ensure_ascii=False, indent=2),
    }
    where = folder / QUESTIONNAIRES
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    wrote = False
    for name, text in files.items():
        data = (text + "\n").encode("utf-8")
        path = where / name
        if not path.exists():
            try:
                atomic_write(path, data)
                wrote = True
                continue
            except FileExistsError:
                pass  # another kiosk sharing the folder kept it first
        if path.read_bytes() != data:
            log.warning(
                "content version %s differs from the copy kept in %s: "
                "bump the version in manifest.toml whenever the content changes",
                content.version,
                where,
            )
    return wrote


def copy_versions(source: Path, target: Path) -> int:
    """Copy the versions kept in ``source`` that ``target`` lacks (spool to output folder)."""
    kept = source / QUESTIONNAIRES
    if not kept.is_dir():
        return 0
    copied = 0
    for path in sorted(kept.glob("*.json")):
        if path.name.startswith(".") or (target / QUESTIONNAIRES / path.name).exists():
            continue
        (target / QUESTIONNAIRES).mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            atomic_write(target / QUESTIONNAIRES / path.name, path.read_bytes())
        except FileExistsError:
            continue  # kept there meanwhile, by another kiosk
        copied += 1
    return copied


def load_snapshot(path: Path, assets: Path | None = None) -> Content:
    """The content kept in a ``<version>.content.json``; ``ContentInvalid`` or ``ValueError``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"{path.name} is not a content snapshot ({SNAPSHOT_FORMAT})")
    files = data.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ValueError(f"{path.name} has no content files")
    allowed = set(FILES)
    with tempfile.TemporaryDirectory(prefix="dn-kiosk-content-") as tmp:
        root = Path(tmp)
        (root / "locales").mkdir()
        for name, text in files.items():
            if name not in allowed and re.fullmatch(r"locales/[A-Za-z0-9_-]+\.toml", name) is None:
                raise ValueError(f"{path.name} names a file the loader does not read: {name!r}")
            (root / name).write_text(text, encoding="utf-8")
        content = load_content(root, assets or assets_dir())
    if content.version != data.get("version"):
        raise ValueError(f"{path.name} holds content version {content.version}")
    return content


class ContentVersions:
    """The current content, and older versions loaded from the kept snapshots."""

    def __init__(self, current: Content, folders: Iterable[Path] = ()) -> None:
        self.current = current
        self.folders = list(folders)
        self._loaded: dict[str, Content] = {current.version: current}
        #: Snapshots that failed to load, tried once per process.
        self._unusable: set[Path] = set()
        self._lock = threading.Lock()

    def get(self, version: str, near: Path | None = None) -> Content | None:
        """The content of ``version``, looked for in ``near`` and then in ``folders``."""
        with self._lock:
            if version in self._loaded:
                return self._loaded[version]
            try:
                stem = version_stem(version)
            except ValueError:
                return None
            for folder in self.where(near):
                path = folder / QUESTIONNAIRES / f"{stem}.content.json"
                if not path.is_file():
                    continue
                if path in self._unusable:
                    continue
                try:
                    content = load_snapshot(path)
                except (OSError, ValueError, ContentInvalid) as exc:
                    # Content, not patient data: the loader's problems say what is wrong
                    # (for example an image this version names that assets/ lost).
                    why = (
                        "; ".join(str(p) for p in exc.problems)
                        if isinstance(exc, ContentInvalid)
                        else str(exc)
                        if isinstance(exc, ValueError)
                        else type(exc).__name__
                    )
                    log.warning("content snapshot %s unusable: %s", path, why)
                    self._unusable.add(path)
                    continue
                self._loaded[version] = content
                return content
            return None

    def where(self, near: Path | None = None) -> list[Path]:
        """The folders searched for snapshots, in order."""
        folders = [near] if near is not None else []
        return folders + [f for f in self.folders if f not in folders]


def response_version(data: object) -> str:
    """The content version a QuestionnaireResponse names ("" if none)."""
    canonical = data.get("questionnaire") if isinstance(data, dict) else None
    return canonical.partition("|")[2] if isinstance(canonical, str) else ""


def version_stem_or_q(version: str) -> str:
    try:
        return version_stem(version)
    except ValueError:
        return "?"
