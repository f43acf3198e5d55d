"""The tap that finishes shows "Saving your answers" at once, before the summary is saved.

Building and saving the summary takes 130 ms or more on a slow tablet; a tap that seems
to do nothing for that long is tapped again. The thank-you screen still appears only
once the summary is safe, and a failed save still ends on the front-desk message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current
from kiosk.ui.app import create_window
from kiosk.ui.window import KioskWindow
from tests.test_journey import sign_and_finish


def watch(win: KioskWindow, output: Path) -> list[tuple[str, int, str]]:
    """Each screen shown: its name, the PDFs saved by then, and its words."""
    seen: list[tuple[str, int, str]] = []

    def on_changed(name: str) -> None:
        words = " ".join(label.text() for label in current(win).findChildren(QLabel))
        seen.append((name, len(list(output.glob("*.pdf"))), words))

    win.screen_changed.connect(on_changed)
    return seen


def test_saving_shows_at_once_and_thank_you_only_once_saved(window: KioskWindow, config: Config):
    seen = watch(window, config.output_dir)

    sign_and_finish(window, "Robin Park")

    names = [name for name, _, _ in seen]
    assert names[-2:] == ["saving", "done"]
    _, saved_by_then, words = seen[-2]
    assert saved_by_then == 0  # shown before the summary was written
    assert "Saving your answers" in words
    assert "Robin" not in words  # nothing of the patient on it
    assert seen[-1][1] == 1  # the thank-you only once the summary is on disk
    assert window.stack.count() == 1  # the saving screen is gone, not hidden


def test_a_failed_save_goes_from_saving_to_the_front_desk_message(
    qtbot, config: Config, content: Content, tmp_path: Path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    writer = PdfSummaryWriter(blocker / "summaries", config.clinic_name, spool=blocker / "spool")
    win = create_window(config, content, (), writer)
    qtbot.addWidget(win)
    win.show()
    seen = watch(win, tmp_path)

    sign_and_finish(win, "Robin Park")

    assert [name for name, _, _ in seen][-2:] == ["saving", "save-failed"]
