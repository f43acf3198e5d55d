"""Saving summaries: atomic, and with file names that say nothing about the patient.

Each file is written to a temporary name in the same folder, flushed and fsynced, then
published under its final name, and the folder is fsynced, so a crash or a power cut
leaves either the whole file or nothing. Publishing never replaces an existing file, so
two kiosks sharing a folder can never overwrite each other's summaries: a hard link
fails when the name exists, and on a file system without hard links an ``O_EXCL`` lock
file per name makes "check, then rename" one step no other kiosk can interleave with.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.domain.model import Content
from kiosk.domain.record import Record


class SaveError(OSError):
    """The summary could not be saved. Its message is for staff and holds no patient data."""


@dataclass(frozen=True)
class Saved:
    pdf: Path
    record: Path


def base_name(created: dt.datetime, document_id: str) -> str:
    """``20261127-141502-DN-7K3QX2M9``: sortable by time, no personal data."""
    return f"{created:%Y%m%d-%H%M%S}-{document_id}"


#: The temporary names ``atomic_write`` uses: ``.NAME.<8 hex digits>.tmp`` for the data,
#: and ``.NAME.lock`` while publishing on a file system without hard links.
TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?:[0-9a-f]{8}\.tmp|lock)")

#: A temporary file younger than this may belong to a write in progress (this kiosk's
#: or another one's sharing the folder), so ``clean_stale_temp_files`` leaves it alone.
STALE_AFTER_SECONDS = 60.0


def atomic_write(path: Path, data: bytes, replace: bool = False) -> None:
    """Write ``data`` to ``path`` all at once.

    An existing file is never replaced unless ``replace`` is true (for files a person
    asked for by name, such as ``render -o OUT.pdf``).
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")  # see TEMP_NAME
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def _publish(tmp: Path, path: Path) -> None:
    # link() fails if the final name exists, where rename() would silently replace it.
    try:
        os.link(tmp, path)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A file system without hard links (FAT, some network shares): rename instead.
        _rename_under_lock(tmp, path)


def _rename_under_lock(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` to ``path`` unless ``path`` exists, even with a second kiosk racing.

    Checking ``path`` and then renaming leaves a gap in which another kiosk could publish
    the same name and be overwritten. So whoever publishes ``path`` first creates its lock
    file ``.NAME.lock`` with ``O_EXCL`` (atomic on every file system, network shares
    included): a second writer of the same name fails to create it and reports a clash,
    and the holder checks ``path`` and renames while nobody else can. A lock left by a
    killed process only blocks that one name until ``clean_stale_temp_files`` removes it.
    """
    lock = path.with_name(f".{path.name}.lock")  # see TEMP_NAME
    try:
        os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "being saved by another writer", str(path)) from None
    try:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "file exists", str(path))
        os.replace(tmp, path)
    finally:
        lock.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_temp_files(
    folder: Path, older_than: float = STALE_AFTER_SECONDS, now: float | None = None
) -> int:
    """Delete the temporary files a killed ``atomic_write`` left in ``folder``; return how many.

    Only regular files named exactly like ``atomic_write``'s temporary files
    (``.NAME.<8 hex digits>.tmp``, and ``.NAME.lock`` on file systems without hard links)
    are touched, and only when they were last modified more
    than ``older_than`` seconds ago: a younger one may be a write in progress by a second
    kiosk sharing the folder. (Deleting that one would lose nothing either: its link
    would fail, and that kiosk would report a ``SaveError`` and save again.)

    A leftover is either a second name of a summary that was published (the process died
    between the hard link and removing the temporary name; the summary stays intact), or
    part of a save that never finished, which the patient was never told had worked.

    A missing folder holds nothing to clean (0). A folder that cannot be listed raises
    ``OSError``; a file that vanishes or cannot be deleted meanwhile is skipped.
    """
    cutoff = (time.time() if now is None else now) - older_than
    removed = 0
    try:
        listing = os.scandir(folder)
    except FileNotFoundError:
        return 0
    with listing:
        for entry in listing:
            if TEMP_NAME.fullmatch(entry.name) is None:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                    continue
                os.unlink(entry.path)
            except OSError:  # gone already (another kiosk cleaned it), or not ours to delete
                continue
            removed += 1
    if removed:
        _fsync_dir(folder)
    return removed


def save_summary(folder: Path, name: str, pdf: bytes, record: bytes) -> Saved:
    """Save the PDF and its record (JSON) as ``name.pdf`` and ``name.json`` in ``folder``.

    The record is written first and the PDF last, so a PDF in the folder always has its
    record beside it. Raises ``SaveError`` (and leaves no partial file) on any failure.
    """
    saved = Saved(folder / f"{name}.pdf", folder / f"{name}.json")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError as exc:  # a file where the folder should be
        raise SaveError(f"could not save the summary in {folder}: it is not a folder") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SaveError(f"could not save the summary in {folder}: {reason}") from exc
    try:
        atomic_write(saved.record, record)
        try:
            atomic_write(saved.pdf, pdf)
        except BaseException:
            saved.record.unlink(missing_ok=True)
            raise
    except FileExistsError as exc:
        raise SaveError(f"a summary named {name} already exists in {folder}") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SaveError(f"could not save the summary in {folder}: {reason}") from exc
    return saved


class SummaryWriter(Protocol):
    """Turns a finished record into saved files (the UI is given one)."""

    def __call__(self, content: Content, record: Record) -> Saved: ...

    def warm_up(self) -> None:
        """Do slow one-off work (imports, fonts) before the first patient needs it."""


def listing(folder: Path) -> dict[str, int]:
    """Saved summaries in ``folder`` (a JSON with its PDF): base name -> the JSON's mtime.

    A missing folder holds none. One that cannot be listed raises ``OSError``: it must
    not look empty (``Path.glob`` would hide a permission error), or ``sync`` would
    drop every row.
    """
    try:
        with os.scandir(folder) as entries:
            files = {e.name: e for e in entries if e.is_file() and not e.name.startswith(".")}
    except FileNotFoundError:
        return {}
    found: dict[str, int] = {}
    for name, entry in files.items():
        stem, dot, suffix = name.rpartition(".")
        if dot and suffix == "json" and f"{stem}.pdf" in files:
            try:
                found[stem] = entry.stat().st_mtime_ns
            except OSError:
                continue  # deleted since the listing
    return found
