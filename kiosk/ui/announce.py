"""Telling a screen reader that a new screen appeared, and where the patient is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens import Screen


def focus_target(screen: Screen) -> QWidget | None:
    """Where focus goes when ``screen`` appears: the field a screen keeps focus in (a typed
    answer, named after its question), else its heading."""
    return screen.focusProxy() or screen.heading()


def announce(screen: Screen) -> str:
    """Move focus to ``screen``'s heading and announce the progress and the heading.

    The heading carries the progress ("Step 14 of 43") as its accessible description, so
    a screen reader reading the focus says it too; the announcement (AT-SPI's
    ``Announcement`` signal, from Qt 6.8) says it once more for readers that do not
    follow focus into text. Returns the words announced ("" when there are none).
    """
    target = focus_target(screen)
    if target is None:
        screen.setFocus()
    else:
        if target.focusPolicy() == Qt.FocusPolicy.NoFocus:
            # Reachable by programmatic focus and a screen reader, never by Tab.
            target.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        progress = screen.progress_text()
        if progress and not target.accessibleDescription():
            target.setAccessibleDescription(progress)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
    words = screen.announcement()
    if words:
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(screen, words))
    return words
