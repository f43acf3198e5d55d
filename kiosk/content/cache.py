"""Validated content kept between starts, so the kiosk does not parse and check its TOML
files (and the body drawing's paths) every time it starts.

``load_content_cached`` returns what ``load_content`` would: from a cache file when
one was written for exactly these files, else by loading them (and then writing the
cache). The cache is keyed by a SHA-256 over:

- every file in the content folder, byte for byte (a clinic's edit of any of them,
  its translations included, is a new key);
- the name, size and modification time of every file under the assets folder (the
  body drawings and illustrations ``load_content`` reads);
- the kiosk's version and the size and modification time of the code that reads the
  files and defines what they become (``kiosk.content``, ``kiosk.domain``), or of the
  frozen program itself, so an upgrade never reads an older layout.

Content with problems is never cached: every start reports them again. A cache file
that cannot be read, or is not what it should be, is ignored and written again; a
cache that cannot be written costs only the time. The cache lives in the kiosk's own
data folder (``data_dir/cache``, private to the kiosk's user), and holds only what the
content files say: no patient data. It is a pickle, which runs code when it is read,
so it must never be placed where anyone else can write (the data folder is ``0700``).
``python -m kiosk validate-content`` always reads the files themselves.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

import kiosk
from kiosk.domain.model import Content

log = logging.getLogger(__name__)

#: The code whose changes make a cached ``Content`` stale.
_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "domain")


def load_content(folder: Path, assets: Path) -> Content:
    """``kiosk.content.loader.load_content``, imported when first needed: a start that
    finds its cache never imports the loader and its schema."""
    from kiosk.content.loader import load_content as load

    return load(folder, assets)


def content_key(folder: Path, assets: Path) -> str:
    """The cache key of ``folder`` with ``assets``, as described above."""
    digest = hashlib.sha256(f"dn-kiosk {kiosk.__version__}\n".encode())
    # What load_content reads: the folder's .toml files and its locales (the bundled
    # folder also holds the loader's own modules, which count as code below).
    for path in sorted([*folder.glob("*.toml"), *folder.glob("locales/*.toml")]):
        digest.update(f"content {path.relative_to(folder).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    stat_of = [(assets, "asset", "*"), *((code, "code", "*.py") for code in _CODE)]
    for base, label, pattern in stat_of:
        for path in sorted(base.rglob(pattern)) if base.is_dir() else []:
            info = path.stat()
            line = f"{label} {path.relative_to(base).as_posix()} {info.st_size} {info.st_mtime_ns}"
            digest.update(f"{line}\n".encode())
    if getattr(sys, "frozen", False):  # the code is inside the program: its stat is the key
        info = Path(sys.executable).stat()
        digest.update(f"frozen {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_content_cached(folder: Path, assets: Path, cache_dir: Path) -> Content:
    """``load_content(folder, assets)``, from ``cache_dir`` when it holds this content.
    Raises ``ContentInvalid`` exactly as ``load_content`` does."""
    try:
        key = content_key(folder, assets)
    except OSError:
        return load_content(folder, assets)  # it will say what cannot be read
    cached = cache_dir / f"content-{key[:32]}.pickle"
    try:
        content = pickle.loads(cached.read_bytes())
    except FileNotFoundError:
        pass
    except Exception as exc:  # any unreadable cache is only ignored
        log.warning("content cache %s ignored (%s); reading the files", cached.name, exc)
    else:
        if isinstance(content, Content):
            return content
        log.warning("content cache %s ignored (not content); reading the files", cached.name)
    content = load_content(folder, assets)  # raises on problems: nothing is cached
    try:
        _write(cache_dir, cached, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError) as exc:
        log.warning("content cache not written (%s)", exc)
    return content


def _write(folder: Path, target: Path, data: bytes) -> None:
    """Write ``target`` atomically, and remove older caches beside it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".content-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    for old in folder.glob("content-*.pickle"):
        if old != target:
            old.unlink(missing_ok=True)
