"""Retention: summaries older than the clinic keeps them are deleted, and the deletion audited.

Only files named like a saved summary (``20261127-141502-DN-7K3QX2M9.pdf`` or ``.json``)
are ever touched. A summary's time is read from its name, or from the file's
modification time if the name holds no real date. The PDF goes first and the JSON
last, so a PDF in the folder always keeps its record beside it, as when saving.

The review status rows of deleted summaries stay in the database: they hold only the
document id, a clinician id and times. Their archive index rows (which hold the
patient's name) go with the files, and so do their outbox rows once delivered.

While delivery to a FHIR server is on, a summary the server does not hold yet (waiting,
or needing attention) is never deleted: ``keep`` names them, and they are deleted at the
first sweep after they are delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Set
from pathlib import Path

from kiosk.app.archive import ArchiveIndex
from kiosk.app.audit import Audit
from kiosk.app.outbox import Outbox

log = logging.getLogger("kiosk.clinic")

SUMMARY_NAME = re.compile(r"(?P<time>\d{8}-\d{6})-(?P<id>[A-Z0-9-]+)\.(?:pdf|json)")


def _time_of(name: str, path: Path, now: dt.datetime) -> dt.datetime | None:
    match = SUMMARY_NAME.fullmatch(name)
    assert match is not None
    try:
        # Names are written in the kiosk's local time, as ``now`` is.
        return dt.datetime.strptime(match["time"], "%Y%m%d-%H%M%S").replace(tzinfo=now.tzinfo)
    except ValueError:
        pass
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=now.tzinfo)
    except OSError:
        return None


def purge(
    folder: Path, days: int, audit: Audit, now: dt.datetime, keep: Set[str] = frozenset()
) -> list[str]:
    """Delete summaries older than ``days`` days, except the document ids in ``keep``
    (not yet delivered); audit and return the ids deleted."""
    if days < 1:
        raise ValueError(f"retention must be at least 1 day, not {days}")
    cutoff = now - dt.timedelta(days=days)
    try:
        with os.scandir(folder) as listing:
            names = [e.name for e in listing if e.is_file(follow_symlinks=False)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("retention: cannot list the summaries folder: %s", type(exc).__name__)
        return []
    old: dict[str, list[Path]] = {}
    for name in sorted(names):
        match = SUMMARY_NAME.fullmatch(name)
        if match is None:
            continue
        path = folder / name
        created = _time_of(name, path, now)
        if created is not None and created < cutoff:
            old.setdefault(match["id"], []).append(path)
    kept = [document_id for document_id in old if document_id in keep]
    for document_id in kept:
        del old[document_id]
    if kept:
        log.info("retention: %d summaries past %d days kept until delivered", len(kept), days)
    deleted: list[str] = []
    for document_id, paths in old.items():
        removed = 0
        for path in sorted(paths, key=lambda p: p.suffix != ".pdf"):  # PDF first
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("retention: could not delete %s: %s", path.name, type(exc).__name__)
                break
        if removed:
            audit.log("delete", document_id=document_id)
            deleted.append(document_id)
    if deleted:
        ArchiveIndex(audit.db).forget(deleted)
        Outbox(audit.db).forget_delivered(deleted)
        log.info("retention: deleted %d summaries older than %d days", len(deleted), days)
    return deleted
