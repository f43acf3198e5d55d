"""A private Xvfb screen, for the tests and the bench that need a real X11 window.

    with xvfb_screen() as display:   # ":<n>", or None when Xvfb is not installed
        ...

``-displayfd`` lets Xvfb pick a free display number and tell it through a pipe, so two
runs (or another X server) on one machine never collide. The screen is the kiosk's
size, 1280 x 800 at 24 bits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def xvfb_screen(size: str = "1280x800x24") -> Iterator[str | None]:
    """The display name of a new Xvfb screen while the block runs; None without Xvfb
    or when it does not start."""
    if shutil.which("Xvfb") is None:
        yield None
        return
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    with os.fdopen(read_end, encoding="ascii") as pipe:
        number = pipe.readline().strip()  # empty when Xvfb stopped without a display
    try:
        yield f":{number}" if number else None
    finally:
        server.terminate()
        server.wait(10)
