"""The kiosk's log: a rotating file in the data folder, and standard error.

``setup_logging`` sends the root logger to ``DATA_DIR/logs/kiosk.log``, rotated at
1 MB with 5 old files kept (``kiosk.log.1`` ... ``kiosk.log.5``), so a kiosk that runs
for months never fills its disk: at most 6 MB of log. The files are readable by the
kiosk's user only (0600, in a 0700 folder) and written as UTF-8.

What is logged is the code's business, and the code logs no personal data: document ids,
file names (time and id), counts and the kinds of errors, never a name, a date of birth
or an answer. ``tests/test_logs.py`` runs a patient through the real window and searches
every log file for their data.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import IO

LOG_NAME = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A ``RotatingFileHandler`` whose files are created readable by their owner only."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(fd, 0o600)  # a file left by an older version may be wider
        except OSError:
            os.close(fd)
            raise
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


# Marks the handlers this module added, so that a second call replaces them.
_OURS = "_dn_kiosk_handler"


def setup_logging(
    data_dir: Path,
    level: int = logging.INFO,
    *,
    max_bytes: int = MAX_BYTES,
    backups: int = BACKUPS,
    stream: IO[str] | None = None,
) -> Path:
    """Log to ``data_dir/logs/kiosk.log`` (rotating) and to ``stream`` (standard error).

    Idempotent: calling it again replaces the handlers it added before, so nothing is
    logged twice. A standard-error handler that is already there (``logging.basicConfig``)
    is kept, and then no second one is added. Returns the log file's path.
    Raises ``OSError`` if the log folder cannot be created or the file opened.
    """
    folder = data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOG_NAME
    file_handler = _PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", errors="replace"
    )
    formatter = logging.Formatter(FORMAT)
    file_handler.setFormatter(formatter)
    setattr(file_handler, _OURS, True)

    root = logging.getLogger()
    reset_logging()
    root.addHandler(file_handler)
    target = sys.stderr if stream is None else stream
    if not any(_writes_to(h, target) for h in root.handlers):
        console = logging.StreamHandler(target)
        console.setFormatter(formatter)
        setattr(console, _OURS, True)
        root.addHandler(console)
    root.setLevel(level)
    return path


def reset_logging() -> None:
    """Remove and close the handlers ``setup_logging`` added (tests, and a second call)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()


def _writes_to(handler: logging.Handler, stream: IO[str]) -> bool:
    return type(handler) is logging.StreamHandler and getattr(handler, "stream", None) is stream
