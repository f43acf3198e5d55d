"""What happens when something unexpected goes wrong inside the running kiosk.

PySide6 hands an exception raised in a slot or an event handler to ``sys.excepthook``
and carries on. The guard logs where it happened (file, line and function, never the
exception's message, which could quote an answer), then asks the window to recover:
save anything signed, erase the session, show a calm message, and return to welcome.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol

log = logging.getLogger("kiosk.ui")

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class Recovers(Protocol):
    def recover(self) -> None: ...


def describe(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The exception's type and where it was raised, without its message."""
    frames = traceback.extract_tb(tb)[-4:]
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{exc_type.__name__} at {where or 'unknown place'}"


def install(window: Recovers) -> Callable[[], None]:
    """Route unexpected exceptions to ``window.recover()``; returns a function to undo it."""
    previous: Hook = sys.excepthook
    recovering = [False]

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            previous(exc_type, exc, tb)
            return
        log.error(
            "unexpected error: %s; erasing the session and returning to welcome",
            describe(exc_type, tb),
        )
        if recovering[0]:
            return  # an error while recovering: do not loop
        recovering[0] = True
        try:
            window.recover()
        except Exception as inner:
            log.critical("recovery failed: %s", describe(type(inner), inner.__traceback__))
        finally:
            recovering[0] = False

    sys.excepthook = hook

    def uninstall() -> None:
        sys.excepthook = previous

    return uninstall
