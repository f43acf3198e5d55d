"""On every screen change focus moves to the heading and the change is announced with the
progress, so a screen-reader user knows a new screen appeared (issue 17, part 2)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.app.config import Config
from kiosk.domain.model import Content
from kiosk.saving import PdfSummaryWriter
from kiosk.tools.journey import current, walk_to_consent
from kiosk.ui.app import create_window
from kiosk.ui.screens import JourneyScreen, Screen
from kiosk.ui.widgets import Text

# Offscreen, no window is ever active, so QApplication.focusWidget() stays None; the
# window's own focus widget is what gets focus when it is (the AT-SPI test checks the
# real focus event).


def test_every_screen_takes_focus_to_its_heading_and_announces_the_progress(
    qtbot, config: Config, content: Content
) -> None:
    win = create_window(
        config, content, (), PdfSummaryWriter(config.output_dir, config.clinic_name)
    )
    qtbot.addWidget(win)
    win.show()
    announced: list[str] = []
    seen: list[str] = []

    def on_changed(name: str) -> None:
        screen = current(win)
        seen.append(name)
        assert isinstance(screen, Screen)
        focus = win.focusWidget()
        words = announced[-1] if announced else ""
        expected = screen.focusProxy() or screen.heading()
        problems_of(screen, focus, expected, words)

    problems: list[str] = []

    def problems_of(screen: Screen, focus: QWidget | None, expected, words: str) -> None:
        name = screen.objectName()
        if expected is None:
            problems.append(f"{name}: no heading")
            return
        if focus is not expected:
            problems.append(f"{name}: focus on {focus!r}, not the heading {expected!r}")
        if isinstance(screen, JourneyScreen):
            progress = screen.step_label.text()
            if not words.startswith(progress):
                problems.append(f"{name}: announced {words!r} without {progress!r}")
            if expected.accessibleDescription() != progress and screen.focusProxy() is None:
                problems.append(f"{name}: heading's description is not {progress!r}")
        if isinstance(expected, Text) and expected.text() not in words:
            problems.append(f"{name}: announced {words!r} without its heading")

    win.announced.connect(announced.append)
    win.screen_changed.connect(on_changed)
    # The welcome screen was shown before the test listened: check it as it stands.
    welcome = current(win)
    assert isinstance(welcome, Screen)
    assert win.focusWidget() is welcome.heading()
    assert welcome.announcement() == win.content.text("welcome.title")  # type: ignore[union-attr]
    walk_to_consent(win, "Ana Lima", ("3", "4", "1950"), {})
    assert len(seen) > 40
    assert len(announced) == len(seen)
    assert not problems, "\n".join(problems)
    # "Step 14 of 43" is said on every step of the journey.
    assert all(content.text("nav.progress", step=1, total=9)[:4] in w for w in announced)
