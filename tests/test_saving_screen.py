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
from kiosk.tools.journey import current, draw, signature_strokes, tap, tap_next, walk_to_consent
from kiosk.ui.screens import ConsentScreen
from kiosk.ui.window import KioskWindow
from tests.test_journey import nowhere_to_save, sign_and_finish


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
    win, _ = nowhere_to_save(qtbot, config, content, tmp_path)
    seen = watch(win, tmp_path)

    sign_and_finish(win, "Robin Park")

    assert [name for name, _, _ in seen][-2:] == ["saving", "save-failed"]


def test_the_saving_screen_is_built_ahead_on_the_consent_screen(window: KioskWindow, qtbot):
    walk_to_consent(window, "Robin Park", ("2", "3", "1971"), {})
    consent = current(window)
    assert isinstance(consent, ConsentScreen)
    qtbot.waitUntil(lambda: not window.saving.pending, timeout=5000)
    ahead = window.saving.screen
    assert ahead is not None
    assert ahead.objectName() == "saving"
    assert not ahead.isVisible()
    shown: list[object] = []
    window.screen_changed.connect(lambda name: shown.append(current(window)))

    tap(consent.agree)
    draw(consent.pad, signature_strokes())
    tap_next(window)

    assert shown[0] is ahead  # the tap only switched the stack
    assert current(window).objectName() == "done"
    assert window.saving.screen is None
